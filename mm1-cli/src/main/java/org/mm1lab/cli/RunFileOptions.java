package org.mm1lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The run file and {@code --set} overrides shared by every command that reads a run. */
final class RunFileOptions {

  @Parameters(index = "0", paramLabel = "FILE", description = "The run file (HOCON).")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description =
          "Override one setting (repeatable; later wins), e.g. --set mm1.train.steps=100."
              + " VALUE is HOCON; text that is not is taken as a string.")
  List<String> overrides = new ArrayList<>();
}
