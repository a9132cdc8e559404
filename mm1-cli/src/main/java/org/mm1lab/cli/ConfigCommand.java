package org.mm1lab.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintWriter;
import java.util.List;
import org.mm1lab.api.Family;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.ComponentSlots;
import org.mm1lab.core.config.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mm1 config show|validate}: what a run file resolves to, and whether it holds together. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Show or validate a run file.",
    subcommands = {ConfigCommand.Show.class, ConfigCommand.Validate.class})
final class ConfigCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: show or validate");
  }

  /** Prints every resolved setting with where its value came from. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print the resolved run configuration, each value with its origin"
              + " (--set, the run file's line, or a jar's reference.conf).")
  static final class Show implements Runnable {
    @Spec CommandSpec spec;
    @Mixin RunFileOptions run;

    @Override
    public void run() {
      Assembly assembly = Plugins.assembly(spec, run);
      RunConfig config = assembly.load(run.file, run.overrides);
      PrintWriter out = spec.commandLine().getOut();
      List<RunConfig.Setting> settings = config.settings();
      int width = 0;
      for (RunConfig.Setting setting : settings) {
        width = Math.max(width, setting.path().length() + 3 + setting.value().length());
      }
      out.println("# " + run.file + " resolved: --set over the file over reference.conf defaults");
      for (RunConfig.Setting setting : settings) {
        String assignment = setting.path() + " = " + setting.value();
        out.printf("%-" + width + "s  # %s%n", assignment, setting.origin());
      }
    }
  }

  /** Checks everything short of allocating the model; exit 0 only when the run can start. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Check a run file strictly (keys, types, values, plugin names) and build its components"
              + " to check that their sizes fit; nothing is allocated or written.")
  static final class Validate implements Runnable {
    @Spec CommandSpec spec;
    @Mixin RunFileOptions run;

    @Override
    public void run() {
      Assembly assembly = Plugins.assembly(spec, run);
      RunPlan plan = assembly.plan(run.file, run.overrides);
      RunConfig config = plan.config();
      Components components = assembly.assemble(plan);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%s is valid (run '%s')%n", run.file, plan.run().name());
      out.printf(
          "  encoder   %-16s %d px -> %s%n",
          config.type(Family.ENCODER),
          components.encoder().imageSize(),
          components.encoder().outputGrid());
      out.printf(
          "  connector %-16s %d image tokens of width %d%n",
          config.type(Family.CONNECTOR),
          components.connector().tokens(),
          components.connector().outputWidth());
      out.printf(
          "  decoder   %-16s width %d, %d token ids%n",
          config.type(Family.DECODER),
          components.decoder().width(),
          components.decoder().vocabularySize());
      // the mixer's own options (its weights, say), then every source the run can draw from
      Config mix =
          config.config().getConfig(ComponentSlots.pathOf(Family.MIXER)).withoutPath("type");
      out.printf(
          "  mixer     %-16s %s; sources available: %s%n",
          config.type(Family.MIXER),
          mix.root().render(ConfigRenderOptions.concise()),
          plan.data().sourceNames());
    }
  }
}
