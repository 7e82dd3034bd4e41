package io.pangolin.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP calls to the endpoint, for what Iceberg's client cannot show (headers, statuses, raw bodies). */
final class Http {

  private final HttpClient client;
  private final URI base;

  Http(HttpClient client, URI base) {
    this.client = client;
    this.base = base;
  }

  Http(URI base) {
    this(HttpClient.newHttpClient(), base);
  }

  HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
    return send("GET", path, headers, null);
  }

  HttpResponse<String> post(String path, Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    return send("POST", path, headers, body);
  }
}
