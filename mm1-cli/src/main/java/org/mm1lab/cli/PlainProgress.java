package org.mm1lab.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.Locale;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.io.RecentSpeed;
import org.mm1lab.core.pretrain.PretrainListener;
import org.mm1lab.core.pretrain.PretrainProgress;
import org.mm1lab.core.run.ThreadPolicy;

/**
 * Prints each logged step of encoder pretraining as one plain line, readable on a terminal and in a
 * log file alike:
 *
 * <pre>
 * engine: cpu(), 2 compute threads (mm1.threads = auto: 0.1 of 2 cores busy with other work)
 * step 100/400  loss 0.5320  lr 3.0e-04  120 img/s  elapsed 40s  eta 1m20s
 * </pre>
 *
 * <p>The ETA comes from the speed of the last logged steps ({@link RecentSpeed}: the last 30
 * seconds), not the whole run's average, so it follows a change of the machine's load.
 */
final class PlainProgress implements PretrainListener {

  private final PrintWriter out;
  private final RecentSpeed speed = new RecentSpeed(0, 0);

  PlainProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void started(Device device, ThreadPolicy.Choice threads) {
    out.println("engine: " + device + ", " + threads.describe());
    out.flush();
  }

  @Override
  public void logged(PretrainProgress p) {
    speed.record(p.step(), p.elapsedSeconds());
    int digits = String.valueOf(p.steps()).length();
    out.println(
        String.format(
            Locale.ROOT,
            "step %" + digits + "d/%d  loss %.4f  lr %.1e  %.0f img/s  elapsed %s  eta %s",
            p.step(),
            p.steps(),
            p.loss(),
            p.learningRate(),
            p.imagesPerSecond(),
            Progress.duration(p.elapsedSeconds()),
            Progress.duration(speed.secondsLeft(p.steps()))));
    out.flush();
  }
}
