package org.mm1lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code mm1} command; every capability is a subcommand. */
@Command(
    name = "mm1",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Build, train and evaluate multimodal LLMs the way the MM1 paper ablated them.",
    subcommands = {
      PluginsCommand.class,
      ConfigCommand.class,
      DataCommand.class,
      PretrainEncoderCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ProbeCommand.class,
      RunCommand.class,
      QueryCommands.Caption.class,
      QueryCommands.Ask.class,
      ExportCommand.class,
      ReportCommand.class,
      AblateCommand.class,
      BenchCommand.class
    },
    footer = {
      "",
      "Exit status: 0 success, 2 a problem with the input (one line each), 1 an internal error,"
          + " 130 stopped by Ctrl-C, 143 by SIGTERM (a training checkpoints its step first)."
    })
public final class Mm1Command implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors, and the engine's warnings.")
  boolean debug;

  /**
   * Folders of third-party plugins, on every command (inherited), before or after the command name;
   * read through {@link Plugins}.
   */
  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Also load plugins from DIR (repeatable): each jar in it, and each sub-folder of jars, is"
              + " one plugin. Added to the run file's mm1.plugins.dirs. See docs/plugins.md.")
  List<Path> pluginDirs = new ArrayList<>();

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
