package io.pangolin.registry;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Sealer;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.WarehouseSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which values of a warehouse are secret and what each is bound to: the secret access key to tenant/warehouse,
 * a secret setting ({@link WarehouseSettings#isSecret}) to tenant/warehouse:key.
 */
final class WarehouseSecrets {

  private final Sealer sealer;

  WarehouseSecrets(Sealer sealer) {
    this.sealer = requireNonNull(sealer, "sealer");
  }

  String sealKey(String tenant, String warehouse, Secret secret) {
    return secret == null ? null : sealer.seal(tenant + "/" + warehouse, "the secret of warehouse '" + tenant + "/"
        + warehouse + "'", secret);
  }

  Secret openKeyOnUse(String tenant, String warehouse, String stored) {
    return sealer.openOnUse(tenant + "/" + warehouse, stored);
  }

  /**
   * Writes the values of secret settings sealed, bound to tenant, warehouse and key. A value that is already
   * sealed (a setting read back and written again) is kept as it is once it is shown to open for exactly this
   * warehouse and key, so a sealed value copied from another row is refused.
   */
  Map<String, String> sealSettings(String tenant, String warehouse, Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>(settings);
    out.replaceAll((key, value) -> {
      if (!WarehouseSettings.isSecret(key)) {
        return value;
      }
      String context = settingContext(tenant, warehouse, key);
      if (SecretCipher.isEncrypted(value)) {
        sealer.open(context, value);
        return value;
      }
      return sealer.seal(context, "setting '" + key + "' of warehouse '" + tenant + "/" + warehouse + "'",
          Secret.of(value));
    });
    return out;
  }

  /**
   * Secret settings as stored: sealed ones open on use; a value stored in clear before secret settings were
   * sealed is used as it is (masked like the others) and sealed by the next write of the warehouse's settings.
   */
  Map<String, Secret> openSettingsOnUse(String tenant, String warehouse, Map<String, String> settings) {
    Map<String, Secret> out = new LinkedHashMap<>();
    settings.forEach((key, value) -> {
      if (WarehouseSettings.isSecret(key) && !value.isEmpty()) {
        out.put(key, SecretCipher.isEncrypted(value)
            ? sealer.openOnUse(settingContext(tenant, warehouse, key), value) : Secret.of(value));
      }
    });
    return out;
  }

  private static String settingContext(String tenant, String warehouse, String key) {
    return tenant + "/" + warehouse + ":" + key;
  }
}
