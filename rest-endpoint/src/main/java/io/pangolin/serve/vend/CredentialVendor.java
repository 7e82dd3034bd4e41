package io.pangolin.serve.vend;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.credentials.Credential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Vends a REST client temporary credentials for one table: {@code AssumeRole} of the warehouse's role, signed with
 * the warehouse's own keys, narrowed by a {@link SessionPolicy} to the table's prefix. Refusals name the warehouse,
 * the role and the table; the AWS details, which may name accounts and principals, go to the log only.
 */
public final class CredentialVendor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CredentialVendor.class);
  private static final Pattern NOT_IN_SESSION_NAME = Pattern.compile("[^\\w+=,.@-]");
  private static final int MAX_SESSION_NAME = 64;
  private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(15);

  private final SdkHttpClient http;

  /** Uses {@code http} for every STS call and closes it on {@link #close()}. */
  public CredentialVendor(SdkHttpClient http) {
    this.http = requireNonNull(http, "http");
  }

  /** A vendor over the JDK's own HTTP client, the one the endpoint ships. */
  public static CredentialVendor withUrlConnection() {
    return new CredentialVendor(UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(10)).build());
  }

  /** Credentials for {@code principal}'s use of the table {@code request} names, or Iceberg's REST refusal. */
  public Credential vend(String principal, VendRequest request) {
    TablePrefix prefix = TablePrefix.parse(request.table(), request.location());
    SessionPolicy policy = SessionPolicy.forTable(request.table(), prefix, request.access(), request.partition());
    AssumeRoleRequest assume = AssumeRoleRequest.builder()
        .roleArn(request.roleArn())
        .roleSessionName(sessionName(principal))
        .durationSeconds(request.durationSeconds())
        .externalId(request.externalId().orElse(null))
        .policy(policy.json())
        .build();
    Credentials credentials;
    try (StsClient sts = client(request)) {
      credentials = sts.assumeRole(assume).credentials();
    } catch (StsException e) {
      throw refused(request, e);
    } catch (SdkException e) {
      LOG.warn("STS unreachable for warehouse '{}', role {}: {}", request.warehouse(), request.roleArn(),
          e.getMessage());
      throw new ServiceUnavailableException("Cannot vend credentials for table '%s': STS could not be reached"
          + " for warehouse '%s' to assume role %s; retry later", request.table(), request.warehouse(),
          request.roleArn());
    }
    return new VendedCredential(prefix.location(), Map.of(
        S3FileIOProperties.ACCESS_KEY_ID, credentials.accessKeyId(),
        S3FileIOProperties.SECRET_ACCESS_KEY, credentials.secretAccessKey(),
        S3FileIOProperties.SESSION_TOKEN, credentials.sessionToken(),
        S3FileIOProperties.SESSION_TOKEN_EXPIRES_AT_MS, Long.toString(credentials.expiration().toEpochMilli()),
        AwsClientProperties.CLIENT_REGION, request.region()));
  }

  /** {@code pangolin-<principal>}, in the characters STS allows, at most 64: CloudTrail then names who asked. */
  static String sessionName(String principal) {
    String name = NOT_IN_SESSION_NAME.matcher("pangolin-" + principal).replaceAll("-");
    return name.length() > MAX_SESSION_NAME ? name.substring(0, MAX_SESSION_NAME) : name;
  }

  private StsClient client(VendRequest request) {
    StsClientBuilder builder = StsClient.builder()
        .httpClient(http)
        .region(Region.of(request.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(request.accessKeyId(), request.secretAccessKey().reveal())))
        .overrideConfiguration(c -> c.apiCallTimeout(API_CALL_TIMEOUT));
    request.stsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static RuntimeException refused(VendRequest request, StsException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    LOG.warn("STS refused AssumeRole of {} for warehouse '{}' ({}): {}", request.roleArn(), request.warehouse(),
        code, e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    if ("AccessDenied".equals(code)) {
      return new ForbiddenException("Cannot vend credentials for table '%s': STS denied warehouse '%s' role %s;"
          + " the role's trust policy must let the warehouse's keys assume it%s", request.table(),
          request.warehouse(), request.roleArn(),
          request.externalId().isPresent() ? " with the warehouse's external id" : "");
    }
    return new ServiceUnavailableException("Cannot vend credentials for table '%s': STS answered %s (HTTP %s) to"
        + " warehouse '%s' assuming role %s; check the warehouse's keys, role and STS endpoint", request.table(),
        code, e.statusCode(), request.warehouse(), request.roleArn());
  }

  @Override
  public void close() {
    http.close();
  }
}
