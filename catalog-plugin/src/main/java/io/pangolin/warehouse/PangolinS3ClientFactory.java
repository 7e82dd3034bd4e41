package io.pangolin.warehouse;

import java.util.Map;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.HttpClientProperties;
import java.util.HashMap;
import org.apache.iceberg.aws.S3FileIOAwsClientFactories;
import org.apache.iceberg.aws.s3.S3FileIOAwsClientFactory;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 clients for warehouses whose store only accepts checksums where S3 requires them (checksum-mode
 * when-required), as many S3-compatible stores do. It builds the client exactly as Iceberg's default factory
 * does, from the same properties, and then turns the SDK's default request and response checksums down to
 * "when required". Set per warehouse by {@link StorageResolver}, never process-wide.
 */
public class PangolinS3ClientFactory implements S3FileIOAwsClientFactory {

  private static final long serialVersionUID = 1L;

  private S3FileIOProperties s3Properties;
  private HttpClientProperties httpProperties;
  private AwsClientProperties awsProperties;
  private Object asyncDelegate;

  @Override
  public void initialize(Map<String, String> properties) {
    this.s3Properties = new S3FileIOProperties(properties);
    this.httpProperties = new HttpClientProperties(properties);
    this.awsProperties = new AwsClientProperties(properties);
    Map<String, String> withoutThisFactory = new HashMap<>(properties);
    withoutThisFactory.remove(S3FileIOProperties.CLIENT_FACTORY);
    this.asyncDelegate = S3FileIOAwsClientFactories.initialize(withoutThisFactory);
  }

  @Override
  public S3Client s3() {
    return S3Client.builder()
        .applyMutation(awsProperties::applyClientRegionConfiguration)
        .applyMutation(awsProperties::applyLegacyMd5Plugin)
        .applyMutation(httpProperties::applyHttpClientConfigurations)
        .applyMutation(s3Properties::applyEndpointConfigurations)
        .applyMutation(s3Properties::applyServiceConfigurations)
        .applyMutation(builder -> s3Properties.applyCredentialConfigurations(awsProperties, builder))
        .applyMutation(s3Properties::applySignerConfiguration)
        .applyMutation(s3Properties::applyS3AccessGrantsConfigurations)
        .applyMutation(s3Properties::applyUserAgentConfigurations)
        .applyMutation(s3Properties::applyRetryConfigurations)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  @Override
  public S3AsyncClient s3Async() {
    // Iceberg's default is an S3FileIOAwsClientFactory, or an AwsClientFactory when client.* settings ask for it.
    return asyncDelegate instanceof S3FileIOAwsClientFactory s3Factory
        ? s3Factory.s3Async()
        : ((org.apache.iceberg.aws.AwsClientFactory) asyncDelegate).s3Async();
  }
}
