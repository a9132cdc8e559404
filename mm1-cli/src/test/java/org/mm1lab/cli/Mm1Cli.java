package org.mm1lab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code mm1} run in this process on captured streams, as the command-line tests call it. */
final class Mm1Cli {

  private Mm1Cli() {}

  /** One invocation: exit status and both streams. */
  record Result(int status, String out, String err) {

    /** Every line of stderr. */
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }

    /** The stderr lines that are errors. */
    List<String> errorLines() {
      return err.lines().filter(line -> line.startsWith("mm1: error: ")).toList();
    }

    /** The stderr lines that are warnings. */
    List<String> warningLines() {
      return err.lines().filter(line -> line.startsWith("mm1: warning: ")).toList();
    }
  }

  /** Runs {@code mm1 args...}. */
  static Result mm1(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code mm1 args...}. */
  static Result mm1(List<String> args) {
    return mm1(args.toArray(String[]::new));
  }
}
