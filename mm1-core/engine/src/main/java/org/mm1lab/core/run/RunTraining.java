package org.mm1lab.core.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.layout.RunLayout;

/**
 * {@code mm1 train}: from a run file to a trained run folder. Checks everything before a file is
 * written (configuration, component sizes, the folder), then trains, resuming the folder's newest
 * checkpoint when there is one. Ctrl-C and SIGTERM end training at the next step with a checkpoint.
 */
public final class RunTraining {

  /** Seconds an interrupted JVM waits for the step in flight and its checkpoint. */
  private static final long GRACE_SECONDS = 120;

  private final Assembly assembly;
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * @param assembly plugins and the config loader
   * @param out where progress and messages go
   * @param terminal whether {@code out} is an interactive terminal
   */
  public RunTraining(Assembly assembly, PrintWriter out, boolean terminal) {
    this.assembly = assembly;
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * Trains a run.
   *
   * @param runFile the run file
   * @param overrides {@code --set} overrides
   * @param outDir the run folder, or null for {@code runs/<name>}
   * @param stop raised to stop at the next step (a {@link StopSignal} on the JVM's signals, or a
   *     manual one for tests)
   * @return the run folder and where training ended
   */
  public Result train(Path runFile, List<String> overrides, Path outDir, StopSignal stop) {
    RunConfig config = assembly.load(runFile, overrides);
    RunSettings settings = new RunSettings(config);
    TrainSettings train = new TrainSettings(config);
    DataSettings data = new DataSettings(config);
    Components components = assembly.assemble(config);
    RunDirectory directory =
        new RunDirectory(outDir != null ? outDir : RunLayout.defaultFolder(settings.name()));
    directory.prepare(config);
    out.println("run '" + settings.name() + "' in " + directory.root());
    try (ModelInstance instance =
        ModelInstance.allocate(
            components,
            Devices.select(settings.device()),
            settings.seed(),
            train.sequenceLength())) {
      out.println(
          "model: "
              + ParameterCounts.describe(instance.model())
              + " on "
              + instance.manager().getDevice());
      Trainer trainer =
          new Trainer(
              instance, train, data, components.tokenizer(), directory, stop, out, terminal);
      return new Result(directory, trainer.train());
    }
  }

  /** Trains with Ctrl-C and SIGTERM wired to a checkpointed stop. */
  public Result train(Path runFile, List<String> overrides, Path outDir) {
    try (StopSignal stop = new StopSignal(GRACE_SECONDS)) {
      return train(runFile, overrides, outDir, stop);
    }
  }

  /**
   * A finished (or stopped) training.
   *
   * @param directory the run folder
   * @param outcome where training ended
   */
  public record Result(RunDirectory directory, Trainer.Outcome outcome) {}
}
