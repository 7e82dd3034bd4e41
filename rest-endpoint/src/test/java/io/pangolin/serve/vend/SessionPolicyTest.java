package io.pangolin.serve.vend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode policy(String location, Access access, String partition) throws Exception {
    return JSON.readTree(
        SessionPolicy.forTable("db.t", TablePrefix.parse("db.t", location), access, partition).json());
  }

  private static List<String> texts(JsonNode array) {
    return array.valueStream().map(JsonNode::asText).toList();
  }

  @Test
  void readAllowsGettingObjectsUnderThePrefixAndListingOnlyBelowIt() throws Exception {
    JsonNode policy = policy("s3://bucket/wh/db/t", Access.READ, "aws");
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    assertThat(policy.get("Statement")).hasSize(2);
    JsonNode objects = policy.get("Statement").get(0);
    assertThat(objects.get("Effect").asText()).isEqualTo("Allow");
    assertThat(texts(objects.get("Action"))).containsExactly("s3:GetObject");
    assertThat(texts(objects.get("Resource"))).containsExactly("arn:aws:s3:::bucket/wh/db/t/*");
    assertThat(objects.has("Condition")).isFalse();
    JsonNode list = policy.get("Statement").get(1);
    assertThat(texts(list.get("Action"))).containsExactly("s3:ListBucket");
    assertThat(texts(list.get("Resource"))).containsExactly("arn:aws:s3:::bucket");
    assertThat(texts(list.get("Condition").get("StringLike").get("s3:prefix"))).containsExactly("wh/db/t/*");
  }

  @Test
  void writeAddsWritingDeletingAndMultipartActionsOnTheObjectsOnly() throws Exception {
    JsonNode policy = policy("s3://bucket/db/t", Access.WRITE, "aws-us-gov");
    JsonNode objects = policy.get("Statement").get(0);
    assertThat(texts(objects.get("Action"))).containsExactly("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    assertThat(texts(objects.get("Resource"))).containsExactly("arn:aws-us-gov:s3:::bucket/db/t/*");
    assertThat(texts(policy.get("Statement").get(1).get("Action"))).containsExactly("s3:ListBucket");
    assertThat(texts(policy.get("Statement").get(1).get("Resource"))).containsExactly("arn:aws-us-gov:s3:::bucket");
  }

  @Test
  void quotesInAKeyStayInsideTheirStringAndAddNoStatement() throws Exception {
    String hostile = "db/t\"}],\"Statement2\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get\\Object\"";
    JsonNode policy = policy("s3://bucket/" + hostile, Access.READ, "aws");
    assertThat(policy.properties()).extracting(Map.Entry::getKey).containsExactly("Version", "Statement");
    assertThat(policy.get("Statement")).hasSize(2);
    assertThat(texts(policy.get("Statement").get(0).get("Resource")))
        .containsExactly("arn:aws:s3:::bucket/" + hostile + "/*");
  }

  @Test
  void aPolicyOverStsPlainTextLimitIsRefusedNamingTableAndLocation() {
    String fits = "s3://bucket/" + "k".repeat(800);
    assertThat(SessionPolicy.forTable("db.t", TablePrefix.parse("db.t", fits), Access.WRITE, "aws").json().length())
        .isBetween(1600, SessionPolicy.MAX_PLAIN_TEXT);
    String tooLong = "s3://bucket/" + "k".repeat(1000);
    assertThatThrownBy(() -> SessionPolicy.forTable("db.t", TablePrefix.parse("db.t", tooLong), Access.READ, "aws"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table 'db.t'").hasMessageContaining("'" + tooLong + "'")
        .hasMessageContaining("over STS's limit of 2048").hasMessageContaining("remote signing");
  }
}
