package org.mm1lab.core.ablate.findings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mm1lab.core.ablate.AblationFolder;
import org.mm1lab.core.ablate.AblationGrid;
import org.mm1lab.core.ablate.AblationPlan;
import org.mm1lab.core.ablate.GridExpansion;
import org.mm1lab.core.ablate.GridReader;
import org.mm1lab.core.ablate.Variant;

/**
 * Ablation folders as {@code mm1 ablate} leaves them, made in a test's folder: a grid file, its
 * {@code ablation.json} from the real expansion, and {@code results.json} per run in the real
 * format with scores chosen by hand.
 */
final class AblationFixture {

  private final Path dir;

  AblationFixture(Path dir) {
    this.dir = dir;
  }

  /**
   * Writes a grid file {@code <name>.conf} (with a base run beside it) and lays out its folder
   * {@code runs/<name>/} with {@code ablation.json}.
   *
   * @param body the lines inside {@code ablation { }} after its name and base
   */
  AblationFolder grid(String name, String... body) throws IOException {
    Files.writeString(dir.resolve("base.conf"), "mm1 { name = base }\n");
    Path gridFile = dir.resolve(name + ".conf");
    Files.writeString(
        gridFile,
        "ablation {\n  name = "
            + name
            + "\n  base = base.conf\n"
            + String.join("\n", body)
            + "\n}\n");
    AblationGrid grid = GridReader.read(gridFile);
    List<Variant> runs = GridExpansion.expand(grid);
    AblationFolder folder = new AblationFolder(dir.resolve("runs").resolve(name));
    Files.createDirectories(folder.variants());
    Files.writeString(folder.plan(), AblationPlan.of(grid, runs).toJson());
    return folder;
  }

  /** Writes a run's results: {@code task, shots, score} triples as the evaluation writes them. */
  static void results(AblationFolder folder, String run, Object... triples) throws IOException {
    StringBuilder scores = new StringBuilder();
    for (int i = 0; i < triples.length; i += 3) {
      String task = (String) triples[i];
      String metric =
          task.equals("caption") ? "CIDEr-D" : task.equals("vqa") ? "VQA accuracy" : "exact match";
      scores
          .append(scores.length() == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"task\":\"%s\",\"shots\":%d,\"metric\":\"%s\",\"score\":%s,\"items\":30}",
                  task,
                  (Integer) triples[i + 1],
                  metric,
                  triples[i + 2]));
    }
    Path file = folder.results(run);
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, "{\"run\":\"" + run + "\",\"step\":600,\"results\":[" + scores + "]}\n");
  }
}
