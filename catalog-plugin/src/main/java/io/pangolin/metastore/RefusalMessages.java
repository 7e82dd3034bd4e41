package io.pangolin.metastore;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a refusal by the database's access control, once {@link SqlErrors} has decided from its SQLSTATE
 * that it is one: which principal may not do what, and what it lacks.
 */
final class RefusalMessages {

  private static final Pattern REFUSED_PRIVILEGE = Pattern.compile("^permission denied: principal .* lacks (.+?) on ");

  private RefusalMessages() {}

  /**
   * A refusal naming what the principal lacks: for Pangolin's (R__10's refuse(): "permission denied: principal P
   * lacks X on ..."), the privilege the database function required, which the action's verb alone does not tell
   * (creating a table needs CREATE; creating a catalog needs a tenant's administrator, which no grant makes).
   */
  static String refusal(String principal, String what, String driverMessage, String server) {
    // PostgreSQL's own ACL check, not one of Pangolin's refusals: the login holds no right on Pangolin's schema
    // at all, which is what a login that is not a principal meets. A platform administrator's function refuses every
    // other login the same way, and that login needs platform administration, not to become a principal.
    if (driverMessage.contains("permission denied for ") && !what.startsWith("administer ")) {
      return String.format("Permission denied: login '%s' may not %s: it is not a Pangolin principal (%s). Make it"
          + " one with 'pangolin principal create %s --existing' and grant it what it needs", principal, what,
          server, principal);
    }
    Matcher refused = REFUSED_PRIVILEGE.matcher(server);
    String lacks = refused.find() && !what.startsWith("administer ") ? refused.group(1) : privilegeFor(what);
    return switch (lacks) {
      case "tenant administration" -> String.format("Permission denied: principal '%s' may not %s: making and"
          + " changing a tenant's warehouses and catalogs is the job of its administrators, which no grant makes a"
          + " principal (a platform administrator names them with 'pangolin tenant admin add --tenant T ROLE')",
          principal, what);
      case "platform administration" -> String.format("Permission denied: principal '%s' may not %s: that is a"
          + " platform administrator's job (a member of pangolin_platform_admin)", principal, what);
      default -> String.format("Permission denied: principal '%s' may not %s (needs the %s privilege): %s",
          principal, what, lacks, server);
    };
  }

  /** The privilege an action needs, from the verb its description starts with. */
  private static String privilegeFor(String what) {
    String[] words = what.split(" ", 3);
    String verb = words[0];
    boolean ofRef = words.length > 1 && (words[1].equals("branch") || words[1].equals("tag"));
    if (ofRef && verb.equals("create")) {
      return "CREATE_BRANCH";
    }
    if (ofRef && verb.equals("delete")) {
      return "DELETE_BRANCH";
    }
    if (verb.equals("merge")) {
      return "MERGE";
    }
    return switch (verb) {
      case "commit", "replace", "rename", "update", "set", "remove" -> "WRITE";
      case "create", "register" -> "CREATE";
      case "drop", "delete" -> "DROP";
      case "grant", "revoke" -> "MANAGE_GRANTS";
      case "administer" -> "pangolin_platform_admin";
      case "undrop" -> "UNDROP";
      case "gc" -> "GC";
      default -> "READ";
    };
  }
}
