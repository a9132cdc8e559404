package org.mm1lab.cli;

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
      TrainCommand.class,
      EvalCommand.class,
      RunCommand.class,
      QueryCommands.Caption.class,
      QueryCommands.Ask.class,
      ReportCommand.class,
      BenchCommand.class
    },
    footer = {
      "",
      "Exit status: 0 success, 2 a problem with the input (one line each), 1 an internal error."
    })
public final class Mm1Command implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean debug;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
