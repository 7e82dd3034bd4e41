package io.pangolin.admin;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What the command line says about arguments it could not parse: one line naming the problem and one pointing to
 * the command's help, never the usage (forty lines that bury the one that matters). Unmatched arguments are not
 * echoed, because a secret typed on the command line must not be printed back; only a word in command position
 * (right after a command that has subcommands) is, as no secret stands there.
 */
final class ArgumentErrors implements CommandLine.IParameterExceptionHandler {

  private final PrintStream err;

  ArgumentErrors(PrintStream err) {
    this.err = requireNonNull(err, "err");
  }

  /**
   * Refuses a command line with unmatched arguments before anything runs. Picocli ignores them when --help or
   * --version is given, which would turn {@code pangolin serve --help} into the top-level help and exit 0.
   */
  static int execute(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (!p.unmatched().isEmpty()) {
        throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> words = unmatched.getUnmatched();
      if (!words.isEmpty() && !words.get(0).startsWith("-") && !spec.subcommands().isEmpty()) {
        String command = (spec.qualifiedName() + " " + words.get(0)).substring(spec.root().name().length() + 1);
        err.println("pangolin: no command '" + command + "'" + suggestion(unmatched.getSuggestions().stream()
            .filter(name -> close(words.get(0), name)).toList()) + "; run '"
            + spec.qualifiedName() + " --help' for the commands");
        return PangolinCli.BAD_INPUT;
      }
      List<String> options = words.stream().filter(a -> a.startsWith("-")).map(a -> a.split("=", 2)[0]).toList();
      long others = words.stream().filter(a -> !a.startsWith("-")).count();
      err.println("pangolin: " + (options.isEmpty() ? "" : "unknown option(s) " + options
          + (unmatched.isUnknownOption() ? suggestion(unmatched.getSuggestions()) : "") + (others == 0 ? "" : " and "))
          + (others == 0 ? "" : others + " unexpected argument(s)") + " (arguments are not echoed; secrets and"
          + " passwords are read from --secret-stdin/-file/-env or --password-stdin/-file/-env, never from the"
          + " command line)");
    } else {
      err.println("pangolin: " + e.getMessage());
    }
    err.println("see '" + spec.qualifiedName() + " --help'");
    return PangolinCli.BAD_INPUT;
  }

  /**
   * Picocli's suggestions are the command's own option and subcommand names, never the user's words. Their order
   * follows a hash map's, so they are sorted: the same mistake always gets the same line.
   */
  private static String suggestion(List<String> suggestions) {
    return suggestions.isEmpty() ? ""
        : " (did you mean '" + String.join("' or '", suggestions.stream().sorted().limit(3).toList()) + "'?)";
  }

  /**
   * Whether a command name is a likely typo of the word: a few edits apart (one for every three letters). Picocli
   * suggests any name that shares a pair of letters, so 'serve' would get 'warehouse'.
   */
  static boolean close(String word, String name) {
    int[] previous = new int[name.length() + 1];
    for (int j = 0; j <= name.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= word.length(); i++) {
      int[] current = new int[name.length() + 1];
      current[0] = i;
      for (int j = 1; j <= name.length(); j++) {
        int substitution = previous[j - 1] + (word.charAt(i - 1) == name.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      previous = current;
    }
    return previous[name.length()] <= Math.max(1, word.length() / 3);
  }
}
