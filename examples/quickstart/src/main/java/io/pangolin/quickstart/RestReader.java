package io.pangolin.quickstart;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * A REST client as any engine would configure one: Iceberg's {@link RESTCatalog} with the endpoint's uri, a
 * principal's credential and warehouse tenant/catalog, and no S3 key. Every S3 request of the table's FileIO is
 * signed by the endpoint, which asks PostgreSQL first.
 */
final class RestReader implements AutoCloseable {

  private final RESTCatalog catalog;
  private final PrintStream out;

  RestReader(URI endpoint, String principal, String password, String warehouse, PrintStream out) {
    this.out = requireNonNull(out, "out");
    this.catalog = new RESTCatalog();
    catalog.initialize("lake", Map.of("uri", endpoint.toString(), "credential", principal + ":" + password,
        "warehouse", warehouse));
  }

  /** Loads the table, shows that its FileIO signs remotely with no key, and prints its rows ordered by id. */
  Table readRows(TableIdentifier identifier) throws IOException {
    Table table = catalog.loadTable(identifier);
    Map<String, String> io = table.io().properties();
    boolean keyless = io.keySet().stream().noneMatch(k -> k.contains("access-key") || k.contains("secret"));
    out.println("    loadTable " + identifier + ": s3.remote-signing-enabled=" + io.get("s3.remote-signing-enabled")
        + (keyless ? ", no S3 key in the client" : ", WITH AN S3 KEY"));
    if (!keyless || !"true".equals(io.get("s3.remote-signing-enabled"))) {
      throw new IllegalStateException("The endpoint must answer remote signing and no key for " + identifier);
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(rows::add);
    }
    rows.sort(Comparator.comparing(r -> (Long) r.getField("id")));
    for (Record row : rows) {
      out.println("    signed read: " + row.getField("id") + " | " + row.getField("customer") + " | "
          + row.getField("amount"));
    }
    return table;
  }

  /** What the signer answers when the table's FileIO asks it to sign a read of a file outside the table. */
  String refusalToRead(Table table, String otherFile) throws IOException {
    try (InputStream in = table.io().newInputFile(otherFile).newStream()) {
      in.read();
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof ForbiddenException refused) {
          return refused.getMessage().lines().findFirst().orElse("");
        }
      }
      throw e;
    }
    throw new IllegalStateException("The endpoint signed a read of " + otherFile + ", outside " + table.name());
  }

  @Override
  public void close() throws IOException {
    catalog.close();
  }
}
