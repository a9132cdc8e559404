package org.mm1lab.cli;

import java.util.Locale;
import org.mm1lab.core.UserException;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.run.Resume;
import picocli.CommandLine.Option;

/** Where {@code train} and {@code run} continue a run folder from. */
final class ResumeOptions {

  @Option(
      names = "--restart",
      description =
          "Start over from step 0; the folder's checkpoints and a copy of its metrics log are"
              + " moved into its set-aside/ folder, not deleted.")
  boolean restart;

  @Option(
      names = "--from-checkpoint",
      paramLabel = "STEP",
      description =
          "Continue from the checkpoint of this step (N or step-NNNNNNNN) instead of the newest;"
              + " the newer ones are moved into the folder's set-aside/ folder, not deleted.")
  String fromCheckpoint;

  /** The choice, checked. */
  Resume resume() {
    if (restart && fromCheckpoint != null) {
      throw new UserException("--restart and --from-checkpoint " + fromCheckpoint + ": give one");
    }
    if (restart) {
      return Resume.RESTART;
    }
    if (fromCheckpoint == null) {
      return Resume.NEWEST;
    }
    String text = fromCheckpoint.strip().toLowerCase(Locale.ROOT);
    if (RunLayout.Checkpoint.isFolder(text)) {
      return Resume.from(RunLayout.Checkpoint.step(text));
    }
    try {
      int step = Integer.parseInt(text);
      if (step >= 0) {
        return Resume.from(step);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UserException(
        "--from-checkpoint "
            + fromCheckpoint
            + ": give a step, e.g. 400 or "
            + RunLayout.Checkpoint.folder(400));
  }
}
