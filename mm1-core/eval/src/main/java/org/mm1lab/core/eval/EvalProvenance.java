package org.mm1lab.core.eval;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where an evaluation's numbers come from, as evaluation tools record it next to the scores: the
 * settings, the code's version and the time.
 *
 * @param settings {@code mm1.eval}, or null when unknown
 * @param gitHash the commit of the checkout the code was built in, as {@code git describe --always}
 *     names it (what lmms-eval records), or null when unknown
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
   * The commit of the checkout this code was built in, as lmms-eval names its own; null when the
   * code does not live in a git checkout, git is missing, fails or takes more than a few seconds.
   * Asked where the classes are, not in the working directory, which may be another repository.
   */
  private static String gitDescribe() {
    try {
      Path code =
          Path.of(EvalProvenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(code) ? code : code.getParent();
      if (dir == null) {
        return null;
      }
      Process git =
          new ProcessBuilder("git", "describe", "--always")
              .directory(dir.toFile())
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
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // No code source, a location that is no file, or no git: the hash is unknown.
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
