package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.serve.testing.ServeScene;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys replayed against the endpoint: the same request replays without acting twice, another body or
 * route under the key is a 422, another principal's same key is that principal's own (never a replay of the first
 * one's answer), and a key that is not a UUID is a 400.
 */
class HostileEndpointIdempotencyTest extends HostileEndpointSuite {

  private static final String NAMESPACES = "/v1/" + ServeScene.PREFIX + "/namespaces";

  private String admin;
  private String other;

  @BeforeAll
  void start() throws Exception {
    admin = s.token(s.admin);
    other = s.token(s.scene.principal("acme_other", "READ", "CREATE"));
  }

  @Test
  void theSameRequestReplaysAndActsOnce() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = post(NAMESPACES, admin, key, namespace("idem_once"));
    HttpResponse<String> again = post(NAMESPACES, admin, key, namespace("idem_once"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(again.statusCode()).as("a replay, not 409 AlreadyExists").isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(rows("idem_once")).isEqualTo(1);
  }

  @Test
  void anotherBodyOrAnotherRouteUnderTheKeyIs422() throws Exception {
    String key = UUID.randomUUID().toString();
    assertThat(post(NAMESPACES, admin, key, namespace("idem_body")).statusCode()).isEqualTo(200);
    HttpResponse<String> otherBody = post(NAMESPACES, admin, key, namespace("idem_other_body"));
    assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(422);
    HttpResponse<String> otherRoute = post(NAMESPACES + "/idem_body/properties", admin, key,
        "{\"updates\":{\"k\":\"v\"},\"removals\":[]}");
    assertThat(otherRoute.statusCode()).as(otherRoute.body()).isEqualTo(422);
    assertThat(rows("idem_other_body")).isZero();
    assertThat(s.string("SELECT coalesce(properties->>'k', 'unset') FROM pangolin.namespaces"
        + " WHERE levels = '{idem_body}'")).isEqualTo("unset");
  }

  @Test
  void anotherPrincipalsSameKeyRunsAsItsOwn() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = post(NAMESPACES, admin, key, namespace("idem_shared"));
    assertThat(first.statusCode()).isEqualTo(200);
    HttpResponse<String> theirs = post(NAMESPACES, other, key, namespace("idem_shared"));
    assertThat(theirs.statusCode()).as("runs anew, so the namespace exists: %s", theirs.body()).isEqualTo(409);
    HttpResponse<String> theirOwn = post(NAMESPACES, other, key, namespace("idem_theirs"));
    assertThat(theirOwn.statusCode()).as("the first principal's key binds nothing of theirs: %s", theirOwn.body())
        .isEqualTo(422);
    String fresh = UUID.randomUUID().toString();
    assertThat(post(NAMESPACES, other, fresh, namespace("idem_fresh")).statusCode()).isEqualTo(200);
    assertThat(post(NAMESPACES, admin, fresh, namespace("idem_fresh")).statusCode())
        .as("the second principal's answer is not replayed to the first").isEqualTo(409);
    assertThat(rows("idem_shared")).isEqualTo(1);
    assertThat(rows("idem_fresh")).isEqualTo(1);
  }

  @Test
  void aKeyThatIsNotAUuidIs400() throws Exception {
    for (String key : new String[] {"123", "not-a-uuid", "1-1-1-1-1", UUID.randomUUID() + "x", "' OR 1=1 --"}) {
      HttpResponse<String> answer = post(NAMESPACES, admin, key, namespace("idem_bad"));
      assertThat(answer.statusCode()).as(key).isEqualTo(400);
      assertThat(answer.body()).contains("Idempotency-Key must be a UUID");
    }
    assertThat(rows("idem_bad")).isZero();
  }

  private HttpResponse<String> post(String path, String token, String key, String body) throws Exception {
    HttpResponse<String> answer = s.http.post(path, Map.of("Authorization", "Bearer " + token, "Idempotency-Key", key),
        body);
    assertThat(answer.statusCode()).as(answer.body()).isNotEqualTo(500);
    s.assertNoLeak(path + body, answer);
    return answer;
  }

  private String namespace(String name) {
    return "{\"namespace\":[\"" + name + "\"],\"properties\":{}}";
  }

  private long rows(String namespace) throws Exception {
    return s.number("SELECT count(*) FROM pangolin.namespaces WHERE levels = '{" + namespace + "}'");
  }
}
