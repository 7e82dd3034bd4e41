package io.pangolin.serve.sign;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.LoginRefusedException;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.delegation.ActingSession;
import io.pangolin.metastore.delegation.SignChecks;
import io.pangolin.metastore.delegation.SignChecks.Allowed;
import io.pangolin.metastore.delegation.SignChecks.TableName;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Keyring;
import io.pangolin.serve.auth.Caller;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.WarehouseConfig;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.RemoteSignResponse;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signing decided by the database, per request and as the caller: the catalog's warehouse is loaded through the
 * caller's own acting session (so row-level security decides what it may read), the S3 request classified against
 * that warehouse's endpoint, {@code pangolin.sign_check} asked whether the caller may read or write every location
 * it touches, and only then is it signed with the warehouse's static key. Nothing is kept between calls: what one
 * caller loaded is never used for another.
 *
 * <p>The HTTP layer must answer a signed request with {@code Cache-Control: no-store}: the answer carries a
 * signature that is as good as the key for its one request, and no proxy or client cache may keep it.
 *
 * <p>Refusals are Iceberg's {@link ForbiddenException} with the database's message (the principal, the privilege and
 * the table or location); no message names a key or a signature.
 */
public final class DatabaseSignService implements SignService {

  private final DataSource endpointConnections;
  private final Keyring keys;
  private final S3RequestSigner signer;

  /**
   * @param endpointConnections the pool of pangolin serve's own login (a member of pangolin_endpoint), in session
   *     mode: each request checks connections out of it acting for its caller
   * @param keys the keys that open warehouse secrets (the shared master key and/or a tenant's key)
   */
  public DatabaseSignService(DataSource endpointConnections, Keyring keys) {
    this(endpointConnections, keys, new S3RequestSigner());
  }

  DatabaseSignService(DataSource endpointConnections, Keyring keys, S3RequestSigner signer) {
    this.endpointConnections = requireNonNull(endpointConnections, "endpointConnections");
    this.keys = requireNonNull(keys, "keys");
    this.signer = requireNonNull(signer, "signer");
  }

  @Override
  public RemoteSignResponse sign(Caller caller, String prefix, Optional<TableIdentifier> table,
      RemoteSignRequest request) {
    requireNonNull(caller, "caller");
    requireNonNull(prefix, "prefix");
    requireNonNull(table, "table");
    requireNonNull(request, "request");
    try (ActingSession session = new ActingSession(endpointConnections, caller.token())) {
      Database db = Database.of(session).withRefusals(DatabaseSignService::asIceberg);
      SignChecks checks = new SignChecks(db);
      long warehouseId = checks.warehouseOf(prefix).orElseThrow(() -> new ForbiddenException("%s",
          "permission denied: principal " + caller.principal() + " may not have requests signed in catalog "
              + prefix + ": it does not exist, or the principal holds no privilege in it"));
      WarehouseConfig warehouse = new TenantRegistry(db, keys).loadWarehouseWithSigningKey(warehouseId);
      S3Target target = S3Target.fromSettings(warehouse.settings());
      S3Access access = S3RequestClassifier.classify(request, target);
      Allowed allowed = checks.check(prefix, table.map(DatabaseSignService::tableName),
          SignChecks.Access.valueOf(access.access().name()), access.locations());
      if (allowed.warehouseId() != warehouseId) {
        throw new ServiceUnavailableException("Catalog %s moved to another warehouse while %s was being signed;"
            + " retry", prefix, access.describe());
      }
      return signer.sign(request, staticKey(warehouse, prefix), target);
    } catch (RefusedException e) {
      throw asIceberg(e);
    }
  }

  private static TableName tableName(TableIdentifier id) {
    return new TableName(List.of(id.namespace().levels()), id.name());
  }

  /** The warehouse's own key; a warehouse without one cannot sign for anybody. */
  private static AwsCredentialsIdentity staticKey(WarehouseConfig warehouse, String prefix) {
    if (warehouse.credentialType() != CredentialType.STATIC || warehouse.accessKeyId() == null
        || warehouse.secretAccessKey() == null) {
      throw new ServiceUnavailableException("Cannot sign requests for catalog %s: its warehouse '%s' uses %s"
          + " credentials, and S3 remote signing needs the warehouse's static key; give it one with 'pangolin"
          + " warehouse set-credentials --tenant %s %s --credentials static --access-key-id ID --secret-env VAR'",
          prefix, warehouse.qualifiedName(), warehouse.credentialType().code(), warehouse.tenant(), warehouse.name());
    }
    return AwsCredentialsIdentity.create(warehouse.accessKeyId(), warehouse.secretAccessKey().reveal());
  }

  /**
   * The database's refusal as Iceberg's: a token the database no longer honours is not authenticated (its words
   * name no token), any other refusal is forbidden.
   */
  private static RuntimeException asIceberg(RefusedException refused) {
    if (refused instanceof LoginRefusedException) {
      return new NotAuthorizedException("%s", SqlErrors.serverMessage(refused));
    }
    return new ForbiddenException(refused.getCause(), "%s", refused.getMessage());
  }
}
