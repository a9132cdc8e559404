package org.mm1lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.eval.probe.LinearProbe;
import org.mm1lab.core.eval.probe.StageProbes;
import org.mm1lab.core.run.ModelInstance;
import org.mm1lab.core.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 probe RUN_DIR|CHECKPOINT}: linear probes of the encoder's and connector's outputs. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Linear probes: what a model's encoder and connector carry about its images.",
      "Fits a linear classifier for the shape, colour, size and position of a shape and for"
          + " a written word, on the encoder's features and the connector's tokens (averaged, at"
          + " the thing itself, and side by side), on new scenes of the run's world; prints"
          + " held-out accuracy beside each answer prior (compare with the per-kind VQA table of"
          + " mm1 eval)."
    })
final class ProbeCommand implements Runnable {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR|CHECKPOINT|RUN_FILE",
      description =
          "A trained model, or a run file (.conf): its model as configured, with the pretrained"
              + " weights its sections name (an encoder's checkpoint) and the rest at random.")
  Path path;

  @Option(
      names = "--items",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Scenes per probe to fit on (default: ${DEFAULT-VALUE}); half as many are held out.")
  int items;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "The probe scenes' random stream (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public void run() {
    if (items < 10) {
      throw new UserException("--items must be at least 10, got " + items);
    }
    if (path.toString().endsWith(".conf")) {
      Assembly assembly = Plugins.assembly(spec, path, List.of());
      RunPlan plan = assembly.plan(path, List.of());
      try (ModelInstance instance = ModelInstance.allocate(plan, assembly.assemble(plan))) {
        List<String> loaded = instance.loadPretrained();
        probe(
            plan, instance, loaded.isEmpty() ? "no pretrained weights" : String.join("; ", loaded));
      }
    } else {
      Assembly assembly =
          Plugins.assembly(spec, TrainedModel.directoryOf(path).configFile(), List.of());
      try (TrainedModel model = TrainedModel.open(assembly, path, List.of())) {
        probe(model.plan(), model.instance(), "step " + model.step());
      }
    }
  }

  private void probe(RunPlan plan, ModelInstance instance, String weights) {
    Components components = instance.model().components();
    StageProbes probes =
        new StageProbes(
            components,
            plan.imagePreprocessor(components.encoder()),
            plan.data().world(),
            instance.manager(),
            LinearProbe.standard());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "linear probes of %s (%s): %d scenes fitted, %d held out per target%n",
        path, weights, items, items / 2);
    out.flush();
    out.print(table(probes.run(items, items / 2, seed)));
    out.flush();
  }

  static String table(List<StageProbes.Row> rows) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%-10s %7s %7s", "target", "classes", "prior"));
    for (StageProbes.Reading r : StageProbes.Reading.values()) {
      s.append(String.format(Locale.ROOT, " %16s", r.label()));
    }
    s.append('\n');
    for (StageProbes.Row row : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-10s %7d %6.1f%%",
              row.target().label(),
              row.classes(),
              100 * row.prior()));
      for (StageProbes.Reading r : StageProbes.Reading.values()) {
        s.append(String.format(Locale.ROOT, " %15.1f%%", 100 * row.accuracy().get(r)));
      }
      s.append('\n');
    }
    return s.toString();
  }
}
