package io.pangolin.serve.vend;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The session policy passed to {@code AssumeRole}: the effective permissions of the vended credentials are the
 * intersection of the role's own policies and this one, so however broad the role, the credentials reach only
 * the one table's objects.
 *
 * <p>Listing is allowed with {@code s3:prefix} {@code <prefix>/*} only. IAM's {@code *} matches zero or more
 * characters, so that already admits a listing of {@code <prefix>/} and of anything under it; a separate
 * {@code <prefix>/} entry would add nothing. The bare {@code <prefix>} is left out on purpose: a listing with it
 * returns the keys of every sibling whose name starts the same ({@code db/t1} lists {@code db/t10/...}). Polaris
 * draws the same line.
 *
 * @param json the policy, compact, as sent in the {@code Policy} parameter
 */
public record SessionPolicy(String json) {

  /** STS's limit on the plain text of an inline session policy, in characters. */
  public static final int MAX_PLAIN_TEXT = 2048;

  static final List<String> READ_ACTIONS = List.of("s3:GetObject");
  static final List<String> WRITE_ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
      "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");

  public SessionPolicy {
    requireNonNull(json, "json");
  }

  /**
   * The policy for {@code access} to the objects under {@code prefix} of {@code table}, in the AWS
   * {@code partition} of the role that is assumed (aws, aws-cn, aws-us-gov, ...). Fails naming the table and its
   * location when the policy would exceed {@link #MAX_PLAIN_TEXT}.
   */
  public static SessionPolicy forTable(String table, TablePrefix prefix, Access access, String partition) {
    String bucketArn = "arn:" + partition + ":s3:::" + prefix.bucket();
    ObjectNode policy = JsonNodeFactory.instance.objectNode();
    policy.put("Version", "2012-10-17");
    ArrayNode statements = policy.putArray("Statement");

    ObjectNode objects = allow(statements, access == Access.WRITE ? WRITE_ACTIONS : READ_ACTIONS);
    objects.putArray("Resource").add(bucketArn + "/" + prefix.keyPrefix() + "/*");

    ObjectNode list = allow(statements, List.of("s3:ListBucket"));
    list.putArray("Resource").add(bucketArn);
    list.putObject("Condition").putObject("StringLike").putArray("s3:prefix").add(prefix.keyPrefix() + "/*");

    String json = policy.toString();
    if (json.length() > MAX_PLAIN_TEXT) {
      throw TablePrefix.refused(table, prefix.location(), "its session policy would be " + json.length()
          + " characters, over STS's limit of " + MAX_PLAIN_TEXT + " for AssumeRole; give the table a shorter"
          + " location, or have its clients use remote signing instead of vended credentials");
    }
    return new SessionPolicy(json);
  }

  private static ObjectNode allow(ArrayNode statements, List<String> actions) {
    ObjectNode statement = statements.addObject();
    statement.put("Effect", "Allow");
    ArrayNode array = statement.putArray("Action");
    actions.forEach(array::add);
    return statement;
  }
}
