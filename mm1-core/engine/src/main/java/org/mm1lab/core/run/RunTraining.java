package org.mm1lab.core.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.io.FolderLock;
import org.mm1lab.core.layout.RunLayout;

/**
 * {@code mm1 train}: from a run file to a trained run folder. Takes the folder's lock (a second
 * writer is refused), checks everything before a file is written (configuration, component sizes,
 * the folder, the device, the checkpoint to resume), then trains, resuming the folder's newest
 * checkpoint when there is one. Ctrl-C and SIGTERM end training at the next step with a checkpoint.
 *
 * <p>Output. Progress goes to the {@code out} writer: the run and its folder, the model's size,
 * then the {@link Trainer}'s lines. Diagnostics are logged through SLF4J by the classes that find
 * them (see {@link Trainer}), so that the application decides where they go.
 */
public final class RunTraining {

  /** Seconds an interrupted JVM waits for the step in flight and its checkpoint. */
  /**
   * How long a stopped JVM waits for the work to checkpoint, and for its report, before exiting.
   */
  public static final long GRACE_SECONDS = 120;

  private final Assembly assembly;
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * @param assembly plugins and the config loader
   * @param out where progress goes
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
    return train(runFile, overrides, outDir, stop, Resume.NEWEST);
  }

  /**
   * Trains a run, continuing where {@code resume} says.
   *
   * @param runFile the run file
   * @param overrides {@code --set} overrides
   * @param outDir the run folder, or null for {@code runs/<name>}
   * @param stop raised to stop at the next step
   * @param resume the checkpoint to continue from
   * @return the run folder and where training ended
   * @throws UserException when the folder is in use by another writer, holds another run, or its
   *     checkpoint cannot be loaded, or the device is missing; the folder is then as it was
   */
  public Result train(
      Path runFile, List<String> overrides, Path outDir, StopSignal stop, Resume resume) {
    RunPlan plan = assembly.plan(runFile, overrides);
    Components components = assembly.assemble(plan);
    String name = plan.run().name();
    RunDirectory directory =
        new RunDirectory(outDir != null ? outDir : RunLayout.defaultFolder(name));
    try (FolderLock lock = directory.lock("mm1 train")) {
      directory.check(plan.config());
      try (ModelInstance instance = ModelInstance.allocate(plan, components)) {
        out.println("run '" + name + "' in " + directory.root());
        out.println(
            "model: "
                + ParameterCounts.describe(instance.model())
                + " on "
                + instance.manager().getDevice()
                + ", "
                + instance.threads().describe());
        Trainer trainer = new Trainer(instance, plan, directory, stop, out, terminal, resume);
        return new Result(directory, trainer.train());
      }
    }
  }

  /** Trains with Ctrl-C and SIGTERM wired to a checkpointed stop. */
  public Result train(Path runFile, List<String> overrides, Path outDir) {
    return train(runFile, overrides, outDir, Resume.NEWEST);
  }

  /**
   * Trains with Ctrl-C and SIGTERM wired to a checkpointed stop, continuing as {@code resume}. A
   * stopped JVM exits once this returns, the run folder's lock released and its file removed.
   */
  public Result train(Path runFile, List<String> overrides, Path outDir, Resume resume) {
    try (StopSignal stop = new StopSignal(GRACE_SECONDS)) {
      return train(runFile, overrides, outDir, stop, resume);
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
