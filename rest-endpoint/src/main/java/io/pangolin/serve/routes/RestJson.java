package io.pangolin.serve.routes;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTSerializers;

/**
 * JSON as Iceberg's REST server speaks it. Iceberg 1.12.0's {@code RESTObjectMapper} is package-private, so this
 * repeats its settings (read off the jar: kebab case, any field visible, unknown properties ignored, no field-name
 * interning) and registers Iceberg's public serializers.
 */
public final class RestJson {

  private final ObjectMapper mapper;

  public RestJson() {
    // Interning is off because field names come from clients: interning them would let a client fill the JVM's
    // string table.
    JsonFactory factory = new JsonFactoryBuilder()
        .configure(JsonFactory.Feature.INTERN_FIELD_NAMES, false)
        .configure(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW, false)
        .build();
    mapper = new ObjectMapper(factory);
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.setPropertyNamingStrategy(new PropertyNamingStrategies.KebabCaseStrategy());
    RESTSerializers.registerAll(mapper);
  }

  /** The request body as {@code type}; a body that is not that JSON is the client's error (400). */
  public <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new BadRequestException("The request needs a JSON body (%s)", type.getSimpleName());
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new BadRequestException("The request body is JSON null, expected %s", type.getSimpleName());
      }
      return value;
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the body; the location is enough and echoes nothing the client sent.
      throw new BadRequestException("The request body is not a valid %s (JSON error at line %s, column %s)",
          type.getSimpleName(), e.getLocation() == null ? "?" : e.getLocation().getLineNr(),
          e.getLocation() == null ? "?" : e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
