package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison from results written by hand: means, spreads, intervals, baseline differences with
 * theirs, the within-noise mark, missing runs.
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

  /** A score with its standard error over items, as results.json has it since it records one. */
  private static String score(String task, int shots, String metric, double score, double se) {
    return score(task, shots, metric, score).replace("}", ",\"se\":" + se + "}");
  }

  /** Writes the grid, its expansion and the ablation folder, as a run of the grid would. */
  private void ablation(String levels, String seeds) throws IOException {
    Files.writeString(dir.resolve("base.conf"), "mm1 { name = base }\n");
    Path gridFile = dir.resolve("grid.conf");
    Files.writeString(
        gridFile,
        "ablation {\n name = tokens\n base = base.conf\n"
            + " axes { \"mm1.model.connector.tokens\" = "
            + levels
            + " }\n seeds = "
            + seeds
            + "\n}\n");
    AblationGrid grid = GridReader.read(gridFile);
    List<Variant> runs = GridExpansion.expand(grid);
    folder = new AblationFolder(dir.resolve("out"));
    for (Variant v : runs) {
      Files.createDirectories(folder.variant(v.name()));
    }
    Files.writeString(folder.plan(), AblationPlan.of(grid, runs).toJson());
    Files.copy(gridFile, folder.gridCopy());
    Files.copy(dir.resolve("base.conf"), folder.baseCopy());
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
    ablation("[16, 64]", "[1, 2]");

    // Caption scores record their standard error over items; VQA's, as in older files, do not.
    results(
        "tokens-16_seed-1",
        score("caption", 0, "CIDEr-D", 50, 2.0) + "," + score("vqa", 0, "VQA accuracy", 30));
    results(
        "tokens-16_seed-2",
        score("caption", 0, "CIDEr-D", 54, 3.0) + "," + score("vqa", 0, "VQA accuracy", 34));
    // A break-down row is shown per task but is no task of the average.
    results(
        "tokens-64_seed-1",
        score("caption", 0, "CIDEr-D", 60, 1.5)
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
        "variant,baseline,tokens,task,metric,shots,seeds,mean,sd,min,max,delta,se,ci_low,ci_high,"
            + "delta_se,delta_df,delta_low,delta_high,delta_method,within_noise,item_se",
        csv.get(0));
    // caption: mean (50 + 54) / 2 = 52, sd sqrt(((50-52)^2 + (54-52)^2) / 1) = sqrt(8) = 2.8284;
    // se 2.8284 / sqrt(2) = 2; 95%: 52 -+ t(0.975, 1) * 2 = 52 -+ 12.7062 * 2 = [26.5876, 77.4124].
    // The baseline has no difference interval of its own; item SE (2 + 3) / 2 = 2.5.
    assertTrue(
        csv.contains(
            "tokens-16,true,16,caption,CIDEr-D,0,2,52.0000,2.8284,50.0000,54.0000,0.0000,"
                + "2.0000,26.5876,77.4124,,,,,,,2.5000"),
        csv.toString());
    // averages over caption and vqa: seed 1 40, seed 2 44: mean 42, sd 2.8284, [16.5876, 67.4124].
    assertTrue(
        csv.contains(
            "tokens-16,true,16,average,,0,2,42.0000,2.8284,40.0000,44.0000,0.0000,"
                + "2.0000,16.5876,67.4124,,,,,,,"),
        csv.toString());
    // tokens-64: one seed, so no interval of its mean nor of its difference (none is made up);
    // caption 60 - 52 = +8; average (60 + 40) / 2 = 50, 50 - 42 = +8.
    assertTrue(
        csv.contains(
            "tokens-64,false,64,caption,CIDEr-D,0,1,60.0000,,60.0000,60.0000,8.0000,"
                + ",,,,,,,,,1.5000"),
        csv.toString());
    assertTrue(
        csv.contains("tokens-64,false,64,average,,0,1,50.0000,,50.0000,50.0000,8.0000,,,,,,,,,,"),
        csv.toString());
    assertTrue(
        csv.contains(
            "tokens-64,false,64,vqa/colour,VQA accuracy,0,1,99.0000,,99.0000,99.0000,"
                + ",,,,,,,,,,"),
        csv.toString());

    String md = Files.readString(folder.root().resolve("report.md"));
    // 42 -+ 12.7062 * 2 = 25.4; loss 2.0 and 2.5: sd 0.35355, se 0.25, h 12.7062 * 0.25 = 3.177.
    assertTrue(
        md.contains(
            "| **tokens-16 (baseline)** | **16** | **2 of 2** | **42.0 ± 25.4** |  | **2.250 ±"
                + " 3.177** |"),
        md);
    assertTrue(md.contains("| tokens-64 | 64 | 1 of 2 | 50.0 | +8.0 (1 seed) | 1.500 |"), md);
    assertTrue(md.contains("| tokens-64 | 60.0 | 40.0 | 50.0 | +8.0 (1 seed) |"), md);
    assertTrue(
        md.contains(
            "| Variant | Seeds | Mean | SD | SE | 95% interval | Min | Max | Δ baseline |"
                + " Δ 95% interval | Item SE |"),
        md);
    assertTrue(
        md.contains(
            "| **tokens-16 (baseline)** | **2** | **52.0** | **2.8** | **2.0** |"
                + " **\\[26.6, 77.4\\]** | **50.0** | **54.0** |  |  | **2.5** |"),
        md);
    assertTrue(
        md.contains(
            "| tokens-64 | 1 | 60.0 | — | — | none (1 seed) | 60.0 | 60.0 | +8.0 | none (1 seed)"
                + " | 1.5 |"),
        md);
    assertTrue(md.contains("| tokens-64 | 1 | 40.0 | — | — | none (1 seed) |"), "vqa: " + md);
    assertTrue(md.contains("| 40.0 | 40.0 | +8.0 | none (1 seed) | — |"), "no item SE: " + md);
    assertTrue(md.contains("- A cell 'mean ± h' is the mean over seeds and the half-width"), md);
    assertTrue(md.contains("- ≈ marks a difference within noise: its 95% interval covers 0."), md);
    assertTrue(md.contains("- Item SE (per-task tables): the standard error of one run's"), md);
    assertTrue(md.contains("- tokens-64\\_seed-2: not run"), md);
    // Where the average is shown, one line says that it mixes scales.
    String note =
        "The average over tasks mixes CIDEr-D (x 100) with accuracies (%), as the MM1 paper's"
            + " averages do.";
    assertTrue(md.contains("## Average over tasks\n\n" + note + "\n\n| Variant |"), md);
    assertTrue(md.contains("## 0-shot\n\n" + note + "\n\n| Variant |"), md);
    assertTrue(md.contains("mm1.model.connector.tokens=64"), md);

    String html = Files.readString(page);
    assertTrue(html.contains("<tr class=\"baseline\"><td>tokens-16 (baseline)</td>"), html);
    assertTrue(html.contains("tokens-64_seed-2: not run"), html);
    assertTrue(
        html.contains(
            "<h2>Average over tasks</h2>\n<p>" + note.replace("'", "&#39;") + "</p>\n<table>"),
        html);
    assertTrue(
        html.contains("axes { \"mm1.model.connector.tokens\" = [16, 64] }".replace("\"", "&quot;")),
        "the grid file");
    assertTrue(html.contains("mm1 { name = base }"), "the base run file");
    assertTrue(html.contains("<li>≈ marks a difference within noise"), html);
    for (String png : List.of("axis-tokens-0shot.png", "variants.png", "loss.png")) {
      assertTrue(html.contains("src=\"" + png + "\""), png);
      assertTrue(Files.size(folder.reportDir().resolve(png)) > 1000, png);
    }
    // The baseline's bar carries an error bar; tokens-64's single seed has none.
    assertTrue(errorBarPixels(folder.reportDir().resolve("variants.png")) > 100);
  }

  /** Pixels of the bar charts' error bar colour. */
  private static int errorBarPixels(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    int n = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        n += (image.getRGB(x, y) & 0xffffff) == 0x111111 ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void differencesArePairedBySeedAndMarkedWithinNoiseWhenTheirIntervalCoversZero()
      throws IOException {
    ablation("[16, 64, 256, 1024]", "[1, 2, 3]");
    double[][] caption = {{50, 52, 54}, {53, 54, 58}, {53, 51, 58}, {53, 54}};
    String[] groups = {"tokens-16", "tokens-64", "tokens-256", "tokens-1024"};
    for (int g = 0; g < groups.length; g++) {
      for (int seed = 1; seed <= caption[g].length; seed++) {
        results(groups[g] + "_seed-" + seed, score("caption", 0, "CIDEr-D", caption[g][seed - 1]));
      }
    }
    // tokens-1024_seed-3 never ran: its seeds are not the baseline's, so no pairs.

    AblationReport.write(folder.root());

    String md = Files.readString(folder.root().resolve("report.md"));
    // tokens-64 per seed +3, +2, +4: mean 3, se 1 / sqrt(3), h 4.302653 * 0.57735 = 2.484:
    // [0.5, 5.5] excludes 0, no mark.
    assertTrue(md.contains("| tokens-64 | 55.0 ± 6.6 | 55.0 ± 6.6 | +3.0 ± 2.5 |\n"), md);
    assertTrue(
        md.contains("| 53.0 | 58.0 | +3.0 | \\[0.5, 5.5\\] (paired) | — |"), "per task: " + md);
    // tokens-256 per seed +3, -1, +4: mean 2, sd sqrt(7), h 4.302653 * 1.527525 = 6.572:
    // [-4.6, 8.6] covers 0, marked. Its own mean: 53, 51, 58, sd sqrt(13), h 4.302653 * 2.081666
    // = 8.957.
    assertTrue(md.contains("| tokens-256 | 54.0 ± 9.0 | 54.0 ± 9.0 | +2.0 ± 6.6 ≈ |\n"), md);
    assertTrue(md.contains("| +2.0 ≈ | \\[-4.6, 8.6\\] (paired) |"), md);
    // tokens-1024, seeds 1 and 2 against the baseline's 1 to 3: Welch, 2.635 df.
    assertTrue(md.contains("(Welch)"), md);

    List<String> csv = Files.readAllLines(folder.reportDir().resolve("comparison.csv"));
    assertTrue(
        csv.stream()
            .anyMatch(
                l -> l.startsWith("tokens-64,false,64,average,") && l.endsWith(",paired,false,")),
        csv.toString());
    assertTrue(
        csv.stream()
            .anyMatch(
                l -> l.startsWith("tokens-256,false,256,caption,") && l.endsWith(",paired,true,")),
        csv.toString());
    assertTrue(
        csv.stream()
            .anyMatch(
                l -> l.startsWith("tokens-1024,false,1024,caption,") && l.contains(",2.6350,")),
        csv.toString());
  }
}
