package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Storage confined per tenant, attacked by acme's own administrator: no spelling of globex's storage, nor a
 * {@code file:} root the platform has not allowed, becomes a root or an allowed location of an acme warehouse, by
 * the functions or around them; the refusal names nothing of globex's; every table is as it was. (gc's side, which
 * deletes only under a dropped table's own recorded location whatever its metadata claims, is
 * GarbageCollectorTest's, with real files.)
 */
class HostileStorageTest {

  /** Spellings of globex's storage, and file: roots, that must all be refused for acme. */
  private static final List<String> FOREIGN = List.of(HostileScene.GX_ROOT, HostileScene.GX_ROOT + "/",
      HostileScene.GX_ROOT + "/sub", HostileScene.GX_ROOT.replace("s3://", "s3a://"),
      HostileScene.GX_ROOT.replace("s3://", "s3n://"), "s3://gx-vault-7731", "s3://GX-VAULT-7731/warehouse/x",
      "s3://gx-vault-7731//warehouse//", "s3://gx-vault-7731/warehouse/../warehouse", "file:/", "file:/tmp/x");

  /** What a refusal of a location may be: outside the rules (23514) or not a location at all (22023). */
  private static final Set<String> REFUSALS = Set.of("23514", "22023");

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void noSpellingOfAnotherTenantsStorageBecomesOnesOwn(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    List<String> accepted = new ArrayList<>();
    try (Connection c = scene.connect(scene.tenantAdmin); Statement s = c.createStatement()) {
      for (String location : FOREIGN) {
        String credentials = location.startsWith("file:") ? "'none'" : "'engine-identity'";
        attempt(s, "SELECT pangolin.create_warehouse('acme', 'evil', '" + location + "', '{}', '{}', "
            + credentials + ", NULL, NULL)", accepted);
        attempt(s, "SELECT pangolin.update_warehouse_storage('acme', 'lake', NULL, NULL, ARRAY['" + location
            + "'], NULL)", accepted);
      }
    }
    try (Connection su = server.dataSource(scene.url).getConnection(); Statement s = su.createStatement()) {
      // Around the functions, even as the superuser: the constraint trigger on warehouses holds.
      for (String location : FOREIGN.subList(0, 7)) {
        attempt(s, "UPDATE pangolin.warehouses SET allowed_locations = ARRAY['" + location + "']"
            + " WHERE name = 'lake' AND tenant_id = (SELECT id FROM pangolin.tenants WHERE name = 'acme')", accepted);
      }
    }
    assertThat(accepted).as("locations accepted on %s", server).isEmpty();
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  private static void attempt(Statement s, String sql, List<String> accepted) {
    try {
      s.execute(sql);
      accepted.add(sql);
    } catch (SQLException e) {
      String told = HostileCalls.told(e);
      if (!REFUSALS.contains(e.getSQLState()) || told.contains("globex") || told.length() > 1000) {
        accepted.add(sql + " -> " + e.getSQLState() + " " + told);
      }
    }
  }
}
