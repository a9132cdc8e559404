package org.mm1lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.export.ModelExport;
import org.mm1lab.core.export.ModelExport.Format;
import org.mm1lab.core.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 export RUN_DIR|CHECKPOINT --out DIR}: a trained model in layouts other tools load. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a trained model in the layouts Python libraries load.",
      "The decoder becomes a Hugging Face Llama (llama/), the image encoder a timm ViT (timm/),"
          + " the connector its own files (connector/) and, for a linear or mlp connector, a"
          + " LLaVA projector (llava/): safetensors files with config.json. See docs/export.md."
    })
final class ExportCommand implements Runnable {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "The trained model.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "A new or empty folder to write into (nothing is overwritten).")
  Path out;

  @Option(
      names = "--format",
      split = ",",
      paramLabel = "FORMAT",
      description =
          "What to write: llama, timm, connector, llava (comma-separated or repeated). Default: all"
              + " that the model's connector allows (llava for linear and mlp).")
  List<String> formats = new ArrayList<>();

  @Override
  public void run() {
    Assembly assembly =
        Plugins.assembly(spec, TrainedModel.directoryOf(model).configFile(), List.of());
    try (TrainedModel trained = TrainedModel.open(assembly, model, List.of())) {
      ModelExport export = new ModelExport(trained);
      Set<Format> chosen = formats.isEmpty() ? export.available() : parse(formats);
      PrintWriter printer = spec.commandLine().getOut();
      printer.printf("exporting %s (step %d)%n", trained.checkpoint(), trained.step());
      for (String line : export.write(out, chosen)) {
        printer.println(line);
      }
    }
  }

  private static Set<Format> parse(List<String> names) {
    Set<Format> chosen = new LinkedHashSet<>();
    for (String name : names) {
      Format found = null;
      for (Format f : Format.values()) {
        if (f.label().equals(name.strip())) {
          found = f;
        }
      }
      if (found == null) {
        throw new UserException(
            "--format " + name + ": unknown format; use llama, timm, connector or llava");
      }
      chosen.add(found);
    }
    return chosen;
  }
}
