package io.pangolin.flink;

import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestPostgres;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One Trino server for every test class of the JVM, since a Trino start costs tens of seconds. Its catalogs are
 * all examples/trino/pangolin.properties, each reading its own environment variables:
 * <ul>
 *   <li>{@code pangolin}: the lake of {@link LakeEnv}, logged in as the superuser (the migrating login);
 *   <li>{@code globex}: tenant globex's catalog main of an {@link AclScene}, logged in as globex's administrator;
 *   <li>{@code globex_at_acme}: the same login, told to use tenant acme's catalog main.
 * </ul>
 */
final class SharedTrino {

  private static SharedTrino instance;

  private final TrinoServer server;
  private final AclScene scene;

  private SharedTrino(TrinoServer server, AclScene scene) {
    this.server = server;
    this.scene = scene;
  }

  static synchronized SharedTrino get() throws Exception {
    if (instance == null) {
      LakeEnv lake = LakeEnv.get();
      AclScene scene = new AclScene(lake.s3());
      String example = Examples.read("trino/pangolin.properties");
      Map<String, String> catalogs = new HashMap<>();
      Map<String, String> environment = new HashMap<>();
      catalogs.put("pangolin.properties", example);
      environment.putAll(environment("", lake, lake.dbUrl(), TestPostgres.get().user(), TestPostgres.get().password(),
          lake.jdbcCatalogName(), lake.warehouseRoot() + "/" + LakeEnv.CATALOG));
      for (String tenant : new String[] {"globex", "acme"}) {
        String name = tenant.equals("globex") ? "globex" : "globex_at_acme";
        String prefix = name.toUpperCase() + "_";
        catalogs.put(name + ".properties", example.replace("${ENV:", "${ENV:" + prefix));
        environment.putAll(environment(prefix, lake, scene.url, scene.adminB, scene.password(), tenant + "_main",
            "s3://acl-" + tenant + "/warehouse/main"));
      }
      TrinoServer server = TrinoServer.start(Path.of("target/trino").toAbsolutePath(), catalogs, environment);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      instance = new SharedTrino(server, scene);
    }
    return instance;
  }

  TrinoServer server() {
    return server;
  }

  /** The roles and rows behind catalogs {@code globex} and {@code globex_at_acme}. */
  AclScene scene() {
    return scene;
  }

  /** The variables the example catalog file reads, each name with {@code prefix} in front. */
  private static Map<String, String> environment(String prefix, LakeEnv lake, String dbUrl, String user,
      String password, String jdbcCatalog, String location) {
    return Map.of(
        prefix + "PANGOLIN_DB_URI", dbUrl,
        prefix + "PANGOLIN_ENGINE_USER", user,
        prefix + "PANGOLIN_ENGINE_PASSWORD", password,
        prefix + "PANGOLIN_JDBC_CATALOG", jdbcCatalog,
        prefix + "PANGOLIN_CATALOG_LOCATION", location,
        prefix + "WAREHOUSE_S3_ENDPOINT", lake.s3().endpoint(),
        prefix + "WAREHOUSE_S3_ACCESS_KEY", LakeEnv.ACCESS_KEY,
        prefix + "WAREHOUSE_S3_SECRET_KEY", LakeEnv.SECRET_KEY);
  }
}
