package org.mm1lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.plugin.LoadedPlugins;
import org.mm1lab.core.plugin.PluginProblem;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one place commands get their plugins from: the built-ins on the class path, the folders given
 * with {@code --plugins} (an inherited option of every command), and the folders the run file names
 * in {@code mm1.plugins.dirs}. A command that reads a run calls {@link #assembly} instead of
 * constructing an {@link Assembly}, so it takes {@code --plugins} without further work.
 */
final class Plugins {

  /** The inherited option every command takes; declared on {@link Mm1Command}. */
  static final String OPTION = "--plugins";

  private Plugins() {}

  /**
   * The assembly for a run file: plugins loaded, broken ones reported as warnings on the command's
   * error stream when the run does not use them.
   *
   * @param spec the running command, for {@code --plugins} and the streams
   * @param runFile the run file (its {@code mm1.plugins.dirs} is read first)
   * @param overrides the run's {@code --set} overrides
   */
  static Assembly assembly(CommandSpec spec, Path runFile, List<String> overrides) {
    return Assembly.forRun(
        Plugins.class.getClassLoader(), dirs(spec), runFile, overrides, line -> warn(spec, line));
  }

  /** {@link #assembly(CommandSpec, Path, List)} for the run file and overrides of a command. */
  static Assembly assembly(CommandSpec spec, RunFileOptions run) {
    return assembly(spec, run.file, run.overrides);
  }

  /**
   * The assembly for commands that read several run files (a grid's variants): the built-ins and
   * the {@code --plugins} folders; broken plugins become warnings unless a run selects one.
   */
  static Assembly assembly(CommandSpec spec) {
    return Assembly.forRun(
        Plugins.class.getClassLoader(), dirs(spec), null, List.of(), line -> warn(spec, line));
  }

  /**
   * The {@code --plugins} arguments that give a child mm1 process the same plugin folders, as
   * absolute paths (a child may run elsewhere).
   */
  static List<String> childArguments(CommandSpec spec) {
    List<String> arguments = new ArrayList<>();
    for (Path dir : dirs(spec)) {
      arguments.add(OPTION);
      arguments.add(dir.toAbsolutePath().normalize().toString());
    }
    return arguments;
  }

  /** The plugins without a run file, for commands that list them; problems become warnings. */
  static LoadedPlugins load(CommandSpec spec) {
    LoadedPlugins loaded =
        Assembly.loadPlugins(Plugins.class.getClassLoader(), dirs(spec), null, List.of());
    for (PluginProblem problem : loaded.registry().problems()) {
      warn(spec, problem.message());
    }
    return loaded;
  }

  /**
   * The {@code --plugins} folders, wherever on the command line they were given: before the command
   * name, after it, or both. Read from each level of the parse because the inherited option's
   * copies share one field, which the last level to parse would otherwise overwrite.
   */
  static List<Path> dirs(CommandSpec spec) {
    List<Path> dirs = new ArrayList<>();
    for (ParseResult level = spec.root().commandLine().getParseResult();
        level != null;
        level = level.subcommand()) {
      OptionSpec option = level.matchedOption(OPTION);
      if (option != null) {
        for (String value : option.stringValues()) {
          dirs.add(Path.of(value));
        }
      }
    }
    return dirs;
  }

  private static void warn(CommandSpec spec, String line) {
    spec.commandLine().getErr().println("mm1: warning: " + line);
  }
}
