package org.mm1lab.core.testplugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes run files for tests; the stand-in plugin's components are selected by default. */
public final class RunFiles {

  /** A complete, valid run over the stand-in components, one setting per line. */
  public static final String STAND_IN_RUN =
      String.join(
          "\n",
          "mm1 {",
          "  name = test",
          "  model {",
          "    encoder { type = stand-in-encoder }",
          "    connector { type = stand-in-connector }",
          "    decoder { type = stand-in-decoder }",
          "  }",
          "  data.mix { type = stand-in-mixer }",
          "  train {",
          "    steps = 10",
          "    seq-len = 64",
          "  }",
          "}",
          "");

  private RunFiles() {}

  /** Writes {@code text} to {@code dir/name} and returns the path. */
  public static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stand-in run with {@code old} replaced by {@code replacement} (which must occur). */
  public static String standInRunWith(String old, String replacement) {
    if (!STAND_IN_RUN.contains(old)) {
      throw new IllegalArgumentException("not in the stand-in run: " + old);
    }
    return STAND_IN_RUN.replace(old, replacement);
  }
}
