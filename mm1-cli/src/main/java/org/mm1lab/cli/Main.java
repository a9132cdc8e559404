package org.mm1lab.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mm1lab.core.UserException;
import picocli.CommandLine;

/**
 * The {@code mm1} entry point. Exit status: 0 success, 2 a problem the user can fix (printed as one
 * line per problem, no stack trace), 1 a bug (with {@code --debug} the stack trace).
 *
 * <p>Output. A command's progress and results go to standard output, its errors and warnings
 * ({@code mm1: error: ...}, {@code mm1: warning: ...}) to standard error. The libraries'
 * diagnostics go through SLF4J, which the command line binds to slf4j-simple: {@code
 * simplelogger.properties} sends them to standard error, one line each ({@code WARN Trainer -
 * ...}), mm1's own from info up and DJL's and the rest from warn up; {@code
 * -Dorg.slf4j.simpleLogger...} system properties override it.
 */
public final class Main {

  /** Exit status for problems the user can fix. */
  public static final int USER_ERROR = 2;

  /** Exit status for bugs. */
  public static final int INTERNAL_ERROR = 1;

  /** The logger of DJL's GPU search, quiet unless {@code --debug} (see simplelogger.properties). */
  private static final String CUDA_LOGGER = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

  private Main() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--debug")) {
      // Before the first logger exists: simplelogger reads its settings once.
      System.setProperty(CUDA_LOGGER, "warn");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command with the given streams; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine commandLine = commandLine();
    commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    commandLine.setParameterExceptionHandler(
        (e, arguments) -> {
          err.println(
              "mm1: error: " + e.getMessage() + " (see '" + helpHint(e.getCommandLine()) + "')");
          return USER_ERROR;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          if (e instanceof UserException userException) {
            for (String problem : userException.problems()) {
              err.println("mm1: error: " + problem);
            }
            if (debug) {
              e.printStackTrace(err);
            }
            return USER_ERROR;
          }
          err.println(
              "mm1: internal error: "
                  + e
                  + (debug ? "" : " (run with --debug for the stack trace)"));
          if (debug) {
            e.printStackTrace(err);
          }
          return INTERNAL_ERROR;
        });
    return commandLine.execute(args);
  }

  /**
   * The command tree, its help laid out as picocli intends: each description a paragraph that
   * picocli wraps at the terminal's width (80 columns where there is no terminal; the {@code
   * picocli.usage.width} system property sets another).
   */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Mm1Command());
    // set on the root after the subcommands are added, so that it reaches every one of them
    commandLine.setUsageHelpAutoWidth(true);
    return commandLine;
  }

  private static String helpHint(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + " --help";
  }
}
