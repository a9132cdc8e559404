package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison from results written by hand: means, spreads, baseline differences, missing runs.
 */
class AblationReportTest {

  @TempDir Path dir;

  private AblationFolder folder;

  private void results(String run, String scores) throws IOException {
    Path file = folder.results(run);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"run\":\"" + run + "\",\"step\":4,\"results\":[" + scores + "]}");
  }

  private static String score(String task, int shots, String metric, double score) {
    return "{\"task\":\""
        + task
        + "\",\"shots\":"
        + shots
        + ",\"metric\":\""
        + metric
        + "\",\"score\":"
        + score
        + "}";
  }

  private void metrics(String run, double... losses) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < losses.length; i++) {
      lines.append("{\"step\":").append(i + 1).append(",\"loss\":").append(losses[i]).append("}\n");
    }
    Files.writeString(folder.metrics(run), lines.toString());
  }

  @Test
  void meansSpreadsDifferencesAndMissingRunsFromStoredResults() throws IOException {
    Files.writeString(dir.resolve("base.conf"), "mm1 { name = base }\n");
    Path gridFile = dir.resolve("grid.conf");
    Files.writeString(
        gridFile,
        "ablation {\n name = tokens\n base = base.conf\n"
            + " axes { \"mm1.model.connector.tokens\" = [16, 64] }\n seeds = [1, 2]\n}\n");
    AblationGrid grid = GridReader.read(gridFile);
    List<Variant> runs = GridExpansion.expand(grid);
    folder = new AblationFolder(dir.resolve("out"));
    for (Variant v : runs) {
      Files.createDirectories(folder.variant(v.name()));
    }
    Files.writeString(folder.plan(), AblationPlan.of(grid, runs).toJson());
    Files.copy(gridFile, folder.gridCopy());
    Files.copy(dir.resolve("base.conf"), folder.baseCopy());

    results(
        "tokens-16_seed-1",
        score("caption", 0, "CIDEr-D", 50) + "," + score("vqa", 0, "VQA accuracy", 30));
    results(
        "tokens-16_seed-2",
        score("caption", 0, "CIDEr-D", 54) + "," + score("vqa", 0, "VQA accuracy", 34));
    // A break-down row is shown per task but is no task of the average.
    results(
        "tokens-64_seed-1",
        score("caption", 0, "CIDEr-D", 60)
            + ","
            + score("vqa", 0, "VQA accuracy", 40)
            + ","
            + score("vqa/colour", 0, "VQA accuracy", 99));
    metrics("tokens-16_seed-1", 3.0, 2.0);
    metrics("tokens-16_seed-2", 3.0, 2.5);
    metrics("tokens-64_seed-1", 3.0, 1.5);
    // tokens-64_seed-2 never ran.

    Path page = AblationReport.write(folder.root());

    List<String> csv = Files.readAllLines(folder.reportDir().resolve("comparison.csv"));
    assertEquals(
        "variant,baseline,tokens,task,metric,shots,seeds,mean,sd,min,max,delta", csv.get(0));
    // caption: mean (50 + 54) / 2 = 52, sd sqrt(((50-52)^2 + (54-52)^2) / 1) = sqrt(8) = 2.8284.
    assertTrue(
        csv.contains("tokens-16,true,16,caption,CIDEr-D,0,2,52.0000,2.8284,50.0000,54.0000,0.0000"),
        csv.toString());
    // averages over caption and vqa: seed 1 40, seed 2 44: mean 42, sd 2.8284.
    assertTrue(
        csv.contains("tokens-16,true,16,average,,0,2,42.0000,2.8284,40.0000,44.0000,0.0000"),
        csv.toString());
    // tokens-64: one seed; caption 60 - 52 = +8; average (60 + 40) / 2 = 50, 50 - 42 = +8.
    assertTrue(
        csv.contains("tokens-64,false,64,caption,CIDEr-D,0,1,60.0000,,60.0000,60.0000,8.0000"),
        csv.toString());
    assertTrue(
        csv.contains("tokens-64,false,64,average,,0,1,50.0000,,50.0000,50.0000,8.0000"),
        csv.toString());
    assertTrue(
        csv.contains("tokens-64,false,64,vqa/colour,VQA accuracy,0,1,99.0000,,99.0000,99.0000,"),
        csv.toString());

    String md = Files.readString(folder.root().resolve("report.md"));
    assertTrue(
        md.contains(
            "| **tokens-16 (baseline)** | **16** | **2 of 2** | **42.0 ± 2.8** |  | **2.250 ±"
                + " 0.354** |"),
        md);
    assertTrue(md.contains("| tokens-64 | 64 | 1 of 2 | 50.0 | +8.0 | 1.500 |"), md);
    assertTrue(md.contains("| tokens-64 | 60.0 | 40.0 | 50.0 | +8.0 |"), md);
    assertTrue(md.contains("| tokens-64 | 1 | 60.0 | — | 60.0 | 60.0 | +8.0 |"), md);
    assertTrue(md.contains("- tokens-64\\_seed-2: not run"), md);
    assertTrue(md.contains("mm1.model.connector.tokens=64"), md);

    String html = Files.readString(page);
    assertTrue(html.contains("<tr class=\"baseline\"><td>tokens-16 (baseline)</td>"), html);
    assertTrue(html.contains("tokens-64_seed-2: not run"), html);
    assertTrue(
        html.contains("axes { \"mm1.model.connector.tokens\" = [16, 64] }".replace("\"", "&quot;")),
        "the grid file");
    assertTrue(html.contains("mm1 { name = base }"), "the base run file");
    for (String png : List.of("axis-tokens-0shot.png", "variants.png", "loss.png")) {
      assertTrue(html.contains("src=\"" + png + "\""), png);
      assertTrue(Files.size(folder.reportDir().resolve(png)) > 1000, png);
    }
  }
}
