package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.boundary.HostileCalls.Fn;
import io.pangolin.boundary.HostileCalls.Mode;
import io.pangolin.boundary.HostileCalls.Outcome;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attack 3: every function a principal may execute, called with another tenant's ids and names, with NULLs, and
 * with inputs far past every bound (100 KB strings, 10,000-element namespaces, 10,000-level JSON). The boundary
 * holds when each call is refused or answers nothing of globex's, no message echoes an input at length, and no row
 * of any Pangolin table changed (audit_log included: a refused call writes no audit row either).
 */
class HostileFunctionInputsTest {

  /** Answers that tell nothing: a refusal's stand-ins. */
  private static final Set<String> NOTHING = Set.of("0", "f", "{}", "");

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void everyFunctionWithGlobexIdsNullsAndHugeInputs(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    List<String> findings = new ArrayList<>();
    int calls = 0;
    for (String principal : scene.principals()) {
      List<Fn> functions = HostileCalls.executable(scene, principal);
      assertThat(functions).as("functions %s may execute", principal).hasSizeGreaterThan(10);
      assertThat(functions).as("no helper of pangolin_private is reachable")
          .noneMatch(f -> f.schema().equals("pangolin_private"));
      try (Connection c = scene.connect(principal)) {
        for (Fn fn : functions) {
          for (Mode mode : Mode.values()) {
            Outcome o = HostileCalls.call(scene, c, principal, fn, mode);
            calls++;
            findings.addAll(judge(scene, principal, fn, mode, o));
          }
        }
      }
    }
    assertThat(calls).isGreaterThan(300);
    assertThat(findings).as("findings on %s", server).isEmpty();
    assertThat(scene.dump(true)).as("Pangolin's rows after the attack").isEqualTo(before);
  }

  static List<String> judge(HostileScene scene, String principal, Fn fn, Mode mode, Outcome o) {
    List<String> out = new ArrayList<>();
    String who = principal + " " + o.call();
    if (o.refused()) {
      if (o.message().length() > 1000) {
        out.add(who + ": a message of " + o.message().length() + " characters");
      }
      if (o.sqlState().startsWith("XX")) {
        out.add(who + ": internal error " + o.sqlState() + " " + o.message());
      }
    }
    List<String> leaks = HostileCalls.leaks(o);
    if (!leaks.isEmpty()) {
      out.add(who + ": shows globex's " + leaks + " in " + o.values() + " / " + o.message());
    }
    boolean platformSeesTenants = principal.equals(scene.platformAdmin) && fn.name().equals("sees_tenant");
    // A function without arguments takes no id of globex's: what it answers is the caller's own view, and
    // leaks() above still catches any globex value in it.
    if (mode == Mode.GLOBEX && !o.refused() && !HostileCalls.PURE.contains(fn.name()) && !platformSeesTenants
        && !fn.argTypes().isEmpty()) {
      List<String> telling = o.values().stream().filter(v -> v != null && !NOTHING.contains(v)).toList();
      if (!telling.isEmpty()) {
        out.add(who + ": answered " + telling + " for globex's ids");
      }
    }
    return out;
  }
}
