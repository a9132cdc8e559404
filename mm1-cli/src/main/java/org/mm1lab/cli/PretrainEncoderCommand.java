package org.mm1lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.mm1lab.api.Family;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Pretraining;
import org.mm1lab.core.pretrain.PretrainRun;
import org.mm1lab.core.report.LinePlot;
import org.mm1lab.core.report.MetricsLog;
import org.mm1lab.core.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mm1 pretrain-encoder RUN.conf [--out DIR] [--set path=value]...}: pretrains the run's
 * encoder with its own objective and prints where the weights went and how to load them.
 */
@Command(
    name = "pretrain-encoder",
    mixinStandardHelpOptions = true,
    description = {
      "Pretrain the run's image encoder (mm1.model.encoder) alone, with its own objective.",
      "Trains on the image-caption pairs of mm1.pretrain.source with the encoder's"
          + " objective (clip-vit: contrastive image-text; aim-vit: autoregressive pixels) and"
          + " the settings of mm1.pretrain. Writes run.conf, metrics.jsonl, encoder.safetensors"
          + " and encoder.json to DIR (default runs/<name>-encoder), replacing those of an"
          + " earlier pretraining there, and prints the encoder line that loads the weights in a"
          + " multimodal run. If the encoder's checkpoint option is set, pretraining continues"
          + " from that file. Each logged step prints the loss, the learning rate, the"
          + " throughput, the time elapsed and an estimate of the time left from the speed of the"
          + " last 30 seconds."
    })
final class PretrainEncoderCommand implements Runnable {

  @Spec CommandSpec spec;
  @Mixin RunFileOptions run;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The output folder (default runs/<name>-encoder).")
  Path out;

  @Override
  public void run() {
    Assembly assembly = Plugins.assembly(spec, run);
    RunPlan plan = assembly.plan(run.file, run.overrides);
    String name = plan.run().name();
    Path output = out != null ? out : Pretraining.defaultFolder(name);
    PrintWriter writer = spec.commandLine().getOut();
    writer.printf(
        "pretraining encoder %s of run '%s' -> %s%n",
        plan.config().type(Family.ENCODER), name, output);
    writer.flush();
    PretrainRun.Result result =
        new PretrainRun(assembly, plan, output).run(new PlainProgress(writer));
    writer.printf(
        Locale.ROOT,
        "done: %d steps in %s, loss %.4f -> %.4f%n",
        result.summary().steps(),
        Progress.duration(result.summary().seconds()),
        result.summary().firstLoss(),
        result.summary().finalLoss());
    writer.println("encoder checkpoint: " + result.weights());
    writer.println("loss curve: " + writeLossCurve(output));
    writer.println("to use it, put this in a run file's mm1.model section:");
    writer.println("  " + result.runFileLine());
  }

  /** The loss curve of the pretraining, next to its metrics, as a PNG. */
  private static Path writeLossCurve(Path output) {
    MetricsLog metrics = MetricsLog.read(output.resolve(RunLayout.METRICS));
    Path png = output.resolve(Pretraining.LOSS_PLOT);
    try {
      new LinePlot("Encoder pretraining loss", "step", "loss")
          .series("loss", metrics.steps(), metrics.loss())
          .smoothing(LinePlot.smoothingWindow(metrics.size()))
          .write(png, RunReport.PLOT_WIDTH, RunReport.PLOT_HEIGHT);
    } catch (IOException e) {
      throw new UserException("cannot write " + png + ": " + e.getMessage(), e);
    }
    return png;
  }
}
