package org.mm1lab.core.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where an evaluation's numbers come from, as evaluation tools record it next to the scores: the
 * settings, the code's version and the time.
 *
 * @param settings {@code mm1.eval}, or null when unknown
 * @param gitHash the code's commit as {@code git describe --always} names it (what lmms-eval
 *     records), or null outside a git checkout
 * @param version the release from the jar's manifest, or null when run from classes
 * @param date when the evaluation ran
 */
public record EvalProvenance(EvalSettings settings, String gitHash, String version, Instant date) {

  /** The provenance of an evaluation starting now with {@code settings}. */
  public static EvalProvenance now(EvalSettings settings) {
    return new EvalProvenance(
        settings,
        gitDescribe(),
        EvalProvenance.class.getPackage().getImplementationVersion(),
        Instant.now());
  }

  /** Nothing known but the time. */
  public static EvalProvenance unknown() {
    return new EvalProvenance(null, null, null, Instant.now());
  }

  /**
   * The working directory's commit, as lmms-eval finds its own; null when git is missing, fails or
   * takes more than a few seconds.
   */
  private static String gitDescribe() {
    try {
      Process git =
          new ProcessBuilder("git", "describe", "--always")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      // The output is one short line, so waiting before reading cannot fill the pipe.
      if (!git.waitFor(5, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return null;
      }
      String out;
      try (InputStream in = git.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      return git.exitValue() == 0 && !out.isEmpty() ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
