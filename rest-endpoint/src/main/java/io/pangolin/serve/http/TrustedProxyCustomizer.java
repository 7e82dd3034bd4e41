package io.pangolin.serve.http;

import io.pangolin.serve.routes.RestHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Believes {@code X-Forwarded-Proto} from the configured proxies only (Jetty's {@code ForwardedRequestCustomizer}
 * believes anyone). A request a trusted proxy forwards is secure exactly when the proxy says it came over https.
 */
final class TrustedProxyCustomizer implements HttpConfiguration.Customizer {

  private final Set<InetAddress> proxies;

  TrustedProxyCustomizer(Set<String> addresses) {
    Set<InetAddress> parsed = new HashSet<>();
    for (String address : addresses) {
      try {
        parsed.add(InetAddress.getByName(address));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("Trusted proxy " + address + " is not an IP address", e);
      }
    }
    this.proxies = Set.copyOf(parsed);
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    if (!(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer)
        || !proxies.contains(peer.getAddress())) {
      return request;
    }
    request.setAttribute(RestHandler.PROXIED, Boolean.TRUE);
    boolean secure = "https".equalsIgnoreCase(request.getHeaders().get(HttpHeader.X_FORWARDED_PROTO));
    HttpURI uri = HttpURI.build(request.getHttpURI()).scheme(secure ? "https" : "http").asImmutable();
    return new Request.Wrapper(request) {
      @Override
      public boolean isSecure() {
        return secure;
      }

      @Override
      public HttpURI getHttpURI() {
        return uri;
      }
    };
  }
}
