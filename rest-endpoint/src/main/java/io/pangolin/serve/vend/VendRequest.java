package io.pangolin.serve.vend;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.WarehouseConfig;
import io.pangolin.warehouse.WarehouseSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code AssumeRole} for one table needs: the warehouse's own keys (which the role's trust policy
 * admits), the role and how to reach STS, and the table's location and the access wanted. Prints no secret.
 *
 * @param warehouse the warehouse's qualified name, for messages
 * @param table the table's name, for messages
 * @param location the table's location, {@code s3://bucket/prefix}
 * @param region the warehouse's region: STS's regional endpoint and the credentials' {@code client.region}
 * @param stsEndpoint an STS endpoint to use instead of the regional one
 */
public record VendRequest(
    String warehouse,
    String table,
    String location,
    Access access,
    String accessKeyId,
    Secret secretAccessKey,
    String region,
    String roleArn,
    Optional<String> externalId,
    Optional<URI> stsEndpoint,
    int durationSeconds) {

  public VendRequest {
    requireNonNull(warehouse, "warehouse");
    requireNonNull(table, "table");
    requireNonNull(location, "location");
    requireNonNull(access, "access");
    requireNonNull(accessKeyId, "accessKeyId");
    requireNonNull(secretAccessKey, "secretAccessKey");
    requireNonNull(region, "region");
    requireNonNull(roleArn, "roleArn");
    requireNonNull(externalId, "externalId");
    requireNonNull(stsEndpoint, "stsEndpoint");
    if (!WarehouseSettings.ROLE_ARN.matcher(roleArn).matches()) {
      throw new IllegalArgumentException("Warehouse '" + warehouse + "': '" + roleArn + "' is not an IAM role ARN;"
          + " set " + WarehouseSettings.ASSUME_ROLE_ARN + " to one such as arn:aws:iam::123456789012:role/name");
    }
  }

  /**
   * The request for {@code access} to {@code table} at {@code location} of {@code warehouse}, or empty when the
   * warehouse names no role to assume (then none are vended, as the REST spec allows). Fails, naming the
   * warehouse and the fix, when its settings are out of shape or it has no keys of its own to assume the role with.
   */
  public static Optional<VendRequest> forTable(
      WarehouseConfig warehouse, String table, String location, Access access) {
    Map<String, String> settings = WarehouseSettings.validate(warehouse.qualifiedName(), warehouse.settings());
    String roleArn = settings.get(WarehouseSettings.ASSUME_ROLE_ARN);
    if (roleArn == null) {
      return Optional.empty();
    }
    if (warehouse.credentialType() != CredentialType.STATIC
        || warehouse.accessKeyId() == null || warehouse.secretAccessKey() == null) {
      throw new IllegalStateException("Warehouse '" + warehouse.qualifiedName() + "' names role " + roleArn
          + " to vend credentials with, but assumes it with its own static keys and has none; set them with"
          + " 'pangolin warehouse set-credentials', or unset " + WarehouseSettings.ASSUME_ROLE_ARN);
    }
    return Optional.of(new VendRequest(warehouse.qualifiedName(), table, location, access,
        warehouse.accessKeyId(), warehouse.secretAccessKey(),
        settings.getOrDefault(WarehouseSettings.REGION, WarehouseSettings.REGION_DEFAULT), roleArn,
        Optional.ofNullable(settings.get(WarehouseSettings.ASSUME_ROLE_EXTERNAL_ID)),
        Optional.ofNullable(settings.get(WarehouseSettings.STS_ENDPOINT)).map(URI::create),
        Optional.ofNullable(settings.get(WarehouseSettings.VENDED_CREDENTIALS_DURATION)).map(Integer::valueOf)
            .orElse(WarehouseSettings.VENDED_CREDENTIALS_DURATION_DEFAULT)));
  }

  /** The AWS partition of the role (aws, aws-cn, aws-us-gov, ...), which the policy's S3 ARNs must share. */
  public String partition() {
    return roleArn.substring("arn:".length(), roleArn.indexOf(':', "arn:".length()));
  }
}
