package io.pangolin.serve.vend;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Stands in for STS, which cannot be reached from where these tests run: a Jetty handler on 127.0.0.1 that
 * records each request and answers what the test gives it. It checks no signature; the tests assert the
 * Authorization header's shape instead.
 */
final class StsStandIn implements AutoCloseable {

  /** One request as STS would see it: the form parameters are the Query API's AssumeRole call. */
  record Recorded(String method, String path, Map<String, String> form, String authorization) {}

  /** A canned answer. */
  record Answer(int status, String xml) {}

  static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Function<Recorded, Answer> answers;
  private final Server server;

  private StsStandIn(Function<Recorded, Answer> answers) throws Exception {
    this.answers = answers;
    this.server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Fields fields = FormFields.getFields(request);
        Recorded recorded = new Recorded(request.getMethod(), request.getHttpURI().getPath(),
            fields.stream().collect(Collectors.toMap(Fields.Field::getName, Fields.Field::getValue)),
            request.getHeaders().get(HttpHeader.AUTHORIZATION));
        requests.add(recorded);
        Answer answer = answers.apply(recorded);
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/xml");
        Content.Sink.write(response, true, answer.xml(), callback);
        return true;
      }
    });
    server.start();
  }

  static StsStandIn answering(Function<Recorded, Answer> answers) throws Exception {
    return new StsStandIn(answers);
  }

  /** Answers every AssumeRole with these credentials. */
  static StsStandIn granting(String accessKeyId, String secret, String token, String expiration) throws Exception {
    String xml = "<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\"><AssumeRoleResult><Credentials>"
        + "<AccessKeyId>" + accessKeyId + "</AccessKeyId><SecretAccessKey>" + secret + "</SecretAccessKey>"
        + "<SessionToken>" + token + "</SessionToken><Expiration>" + expiration + "</Expiration></Credentials>"
        + "<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId>"
        + "<Arn>arn:aws:sts::123456789012:assumed-role/vend/session</Arn></AssumedRoleUser>"
        + "<PackedPolicySize>12</PackedPolicySize></AssumeRoleResult>"
        + "<ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>"
        + "</AssumeRoleResponse>";
    return answering(r -> new Answer(200, xml));
  }

  /** Answers every call with STS's error document. */
  static StsStandIn failing(int status, String code, String message) throws Exception {
    String xml = "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>" + code + "</Code>"
        + "<Message>" + message + "</Message></Error>"
        + "<RequestId>11111111-2222-3333-4444-555555555555</RequestId></ErrorResponse>";
    return answering(r -> new Answer(status, xml));
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }

  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
