package io.pangolin.boundary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Calls to every function a principal may EXECUTE, built from the catalog (pg_proc) rather than from a hand list,
 * so that a function added later is attacked too. Each argument is chosen from its name and type: globex's ids and
 * names, NULL, or an input far beyond any bound.
 */
final class HostileCalls {

  enum Mode { GLOBEX, NULLS, HUGE }

  /** What one call answered: its rows as text, or the refusal. */
  record Outcome(String call, String inputs, List<String> values, String sqlState, String message) {
    boolean refused() {
      return sqlState != null;
    }
  }

  record Fn(String schema, String name, List<String> argNames, List<String> argTypes, String result) {
    String label() {
      return schema + "." + name + argTypes;
    }
  }

  /**
   * Functions that answer for the caller or for their arguments alone, never for a stored row other than the
   * caller's own (its idempotency keys): a true or a non-empty answer from them with globex's ids is no leak.
   */
  static final Set<String> PURE = Set.of("acting_principal", "is_member", "levels_within", "levels_in_scope",
      "has_dotted_level", "catalogs_seen_whole", "namespaces_seen_whole", "namespaces_seen_in_part",
      "relation_namespaces_seen", "relations_granted", "idempotency_begin");

  private static final String HUGE_TEXT = "x".repeat(100 * 1024);

  private HostileCalls() {}

  /** Every function in pangolin and pangolin_jdbc the principal may execute (triggers aside). */
  static List<Fn> executable(HostileScene scene, String principal) throws SQLException {
    List<Fn> out = new ArrayList<>();
    try (Connection c = scene.superuser();
        PreparedStatement s = c.prepareStatement("""
            SELECT n.nspname, p.proname,
                   coalesce(array_to_string(p.proargnames[1:p.pronargs], ','), ''),
                   coalesce((SELECT string_agg(format_type(t, NULL), ',' ORDER BY i)
                             FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY a (t, i)), ''),
                   pg_get_function_result(p.oid)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname IN ('pangolin', 'pangolin_jdbc', 'pangolin_private') AND p.prokind = 'f'
              AND p.prorettype <> 'trigger'::regtype
              AND has_schema_privilege(?, n.oid, 'USAGE') AND has_function_privilege(?, p.oid, 'EXECUTE')
            ORDER BY 1, 2, 4""")) {
      s.setString(1, principal);
      s.setString(2, principal);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Fn(rs.getString(1), rs.getString(2), split(rs.getString(3)), split(rs.getString(4)),
              rs.getString(5)));
        }
      }
    }
    return out;
  }

  private static List<String> split(String joined) {
    return joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  /** Calls {@code fn} on {@code c} with arguments for {@code mode}; never throws for a refusal. */
  static Outcome call(HostileScene scene, Connection c, String principal, Fn fn, Mode mode) throws SQLException {
    List<String> args = new ArrayList<>();
    List<String> casts = new ArrayList<>();
    for (int i = 0; i < fn.argTypes().size(); i++) {
      String type = fn.argTypes().get(i);
      String name = i < fn.argNames().size() ? fn.argNames().get(i) : "";
      args.add(value(scene, principal, name, type, mode));
      casts.add("CAST(? AS " + type + ")");
    }
    String sql = "SELECT * FROM " + fn.schema() + "." + fn.name() + "(" + String.join(", ", casts) + ")";
    String inputs = String.join("|", args.stream().map(String::valueOf).toList());
    c.setAutoCommit(false);
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        s.setString(i + 1, args.get(i));
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int col = 1; col <= columns; col++) {
            values.add(rs.getString(col));
          }
        }
      }
      return new Outcome(fn.label() + " " + mode, inputs, values, null, null);
    } catch (SQLException e) {
      return new Outcome(fn.label() + " " + mode, inputs, Collections.emptyList(), e.getSQLState(), told(e));
    } finally {
      // Whatever a call did is undone: the dump after the attack proves nothing was kept either way.
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  /**
   * What the server told the caller: message, detail and hint (not pgjdbc's rendering, which adds the server's
   * context lines naming the function and line that raised).
   */
  static String told(SQLException e) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      return m.getMessage() + (m.getDetail() == null ? "" : " DETAIL: " + m.getDetail())
          + (m.getHint() == null ? "" : " HINT: " + m.getHint());
    }
    return String.valueOf(e.getMessage());
  }

  /** An argument as text (cast on the server to its type), or null. */
  static String value(HostileScene scene, String principal, String name, String type, Mode mode) {
    if (mode == Mode.NULLS) {
      return null;
    }
    boolean huge = mode == Mode.HUGE;
    return switch (type) {
      case "bigint" -> String.valueOf(id(scene, name, huge));
      case "integer" -> huge ? "2147483647" : "1";
      case "boolean" -> "true";
      case "interval" -> huge ? "178000000 years" : "1 day";
      case "uuid" -> "6a1f0c3e-93b4-4d1e-8f2a-5c7d9e0b1a24";
      case "bytea" -> "\\x" + (huge ? "ab".repeat(100 * 1024) : "ab".repeat(32));
      case "jsonb" -> huge ? "[".repeat(10_000) + "]".repeat(10_000) : "{\"gx\": true}";
      case "text[]", "name[]" -> huge ? "{" + "a,".repeat(9_999) + "a}"
          : name.equals("locations") ? "{" + HostileScene.GX_ROOT + "/gx_hidden_ns/gx_ledger/metadata/00001.json}"
          : "{gx_hidden_ns}";
      case "name" -> huge ? HUGE_TEXT : principal;
      default -> huge ? HUGE_TEXT : text(scene, name);
    };
  }

  private static long id(HostileScene scene, String name, boolean acme) {
    return switch (name) {
      case "tenant" -> acme ? scene.acme : scene.globex;
      case "warehouse" -> acme ? scene.acmeWarehouse : scene.globexWarehouse;
      case "namespace" -> acme ? scene.acmeFinance : scene.globexNamespace;
      case "relation" -> acme ? Long.MAX_VALUE : scene.globexRelation;
      case "ref", "src" -> acme ? scene.acmeRef : scene.globexRef;
      case "dropped", "except_dropped", "dropped_id" -> acme ? scene.acmeDropped : scene.globexDropped;
      case "seconds" -> Long.MAX_VALUE;
      default -> acme ? scene.acmeCatalog : scene.globexCatalog;
    };
  }

  private static String text(HostileScene scene, String name) {
    return switch (name) {
      case "tenant_name" -> "globex";
      case "catalog_name", "from_ref" -> "main";
      case "warehouse_name" -> "lake";
      case "ref_name", "src_name" -> "gx_dev";
      case "rel_kind", "relation_kind" -> "TABLE";
      case "ref_kind" -> "BRANCH";
      case "privilege" -> "READ";
      case "jdbc_catalog", "jdbc_catalog_name", "jdbc_name" -> "globex_main";
      case "access" -> "READ";
      case "namespace_string" -> "gx_hidden_ns";
      case "location", "next", "expected", "root", "previous" -> HostileScene.GX_ROOT + "/gx_hidden_ns/gx_ledger";
      case "credential_type", "new_type" -> "static";
      default -> "gx_ledger";
    };
  }

  /** Globex's strings in a call's answer or message that the caller did not type itself. */
  static List<String> leaks(Outcome o) {
    String seen = String.join("|", o.values().stream().map(String::valueOf).toList()) + "|" + o.message();
    return HostileScene.GX_MARKERS.stream().filter(m -> seen.contains(m) && !o.inputs().contains(m)).toList();
  }
}
