package io.pangolin.registry;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.WarehouseRow;
import io.pangolin.security.Sealer;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.WarehouseSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which values of a warehouse are secret and what each is bound to: the secret access key to tenant/warehouse,
 * a secret setting ({@link WarehouseSettings#isSecret}) to tenant/warehouse:key. Each is sealed with the tenant's
 * own key when it has one ({@code tenantKey}: its fingerprint), else with the shared master key.
 */
final class WarehouseSecrets {

  private final Sealer sealer;

  WarehouseSecrets(Sealer sealer) {
    this.sealer = requireNonNull(sealer, "sealer");
  }

  String sealKey(String tenant, Optional<String> tenantKey, String warehouse, Secret secret) {
    return secret == null ? null : sealer.seal(tenant, tenantKey, keyContext(tenant, warehouse),
        "the secret of warehouse '" + tenant + "/" + warehouse + "'", secret);
  }

  Secret openKeyOnUse(String tenant, Optional<String> tenantKey, String warehouse, String stored) {
    return sealer.openOnUse(tenant, tenantKey, keyContext(tenant, warehouse), stored);
  }

  /**
   * Writes the values of secret settings sealed, bound to tenant, warehouse and key. A value that is already
   * sealed (a setting read back and written again) is kept as it is once it is shown to open for exactly this
   * warehouse and key, so a sealed value copied from another row is refused.
   */
  Map<String, String> sealSettings(String tenant, Optional<String> tenantKey, String warehouse,
      Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>(settings);
    out.replaceAll((key, value) -> {
      if (!WarehouseSettings.isSecret(key)) {
        return value;
      }
      String context = settingContext(tenant, warehouse, key);
      if (SecretCipher.isEncrypted(value)) {
        sealer.open(tenant, tenantKey, context, value);
        return value;
      }
      return sealer.seal(tenant, tenantKey, context, "setting '" + key + "' of warehouse '" + tenant + "/"
          + warehouse + "'", Secret.of(value));
    });
    return out;
  }

  /**
   * Secret settings as stored: sealed ones open on use; a value stored in clear before secret settings were
   * sealed is used as it is (masked like the others) and sealed by the next write of the warehouse's settings.
   */
  Map<String, Secret> openSettingsOnUse(String tenant, Optional<String> tenantKey, String warehouse,
      Map<String, String> settings) {
    Map<String, Secret> out = new LinkedHashMap<>();
    settings.forEach((key, value) -> {
      if (WarehouseSettings.isSecret(key) && !value.isEmpty()) {
        out.put(key, SecretCipher.isEncrypted(value)
            ? sealer.openOnUse(tenant, tenantKey, settingContext(tenant, warehouse, key), value) : Secret.of(value));
      }
    });
    return out;
  }

  /**
   * The row's secrets sealed again with {@code to}: each sealed value opened by this (the old key) and sealed with
   * the new one, each secret setting stored in clear sealed; as the JSON object reseal_tenant_secrets takes for
   * one warehouse. Holds sealed values only.
   */
  String resealed(WarehouseRow row, Optional<String> tenantKey, Sealer to, String toKey) {
    String tenant = row.tenant();
    String warehouse = row.name();
    StringBuilder json = new StringBuilder("{\"version\":").append(row.configVersion());
    if (row.sealedSecretAccessKey() != null) {
      Secret plain = sealer.open(tenant, tenantKey, keyContext(tenant, warehouse), row.sealedSecretAccessKey());
      json.append(",\"secret_access_key\":").append(quoted(to.seal(tenant, Optional.of(toKey),
          keyContext(tenant, warehouse), "the secret of warehouse '" + tenant + "/" + warehouse + "'", plain)));
    }
    json.append(",\"settings\":{");
    String sep = "";
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(row.settings()).entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      boolean sealed = SecretCipher.isEncrypted(value);
      if (!sealed && !(WarehouseSettings.isSecret(key) && !value.isEmpty())) {
        continue;
      }
      String context = settingContext(tenant, warehouse, key);
      Secret plain = sealed ? sealer.open(tenant, tenantKey, context, value) : Secret.of(value);
      json.append(sep).append(quoted(key)).append(':').append(quoted(to.seal(tenant, Optional.of(toKey), context,
          "setting '" + key + "' of warehouse '" + tenant + "/" + warehouse + "'", plain)));
      sep = ",";
    }
    return json.append("}}").toString();
  }

  static String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String keyContext(String tenant, String warehouse) {
    return tenant + "/" + warehouse;
  }

  private static String settingContext(String tenant, String warehouse, String key) {
    return tenant + "/" + warehouse + ":" + key;
  }
}
