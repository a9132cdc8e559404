package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

class RunReportTest {

  private static final String CONFIG =
      String.join(
          "\n",
          "mm1 {",
          "  name = quickstart",
          "  notes = \"<script>alert('x')</script> & more\"",
          "  train { steps = 200 }",
          "}",
          "");

  private static final int STEPS = 200;

  @TempDir Path runDir;

  /** 200 logged steps with a falling, noisy loss, two auxiliary losses, and a torn last line. */
  private void writeMetrics() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int step = 1; step <= STEPS; step++) {
      double loss = step == STEPS ? 1.2345 : 4 * Math.exp(-step / 50.0) + 1 + 0.1 * Math.sin(step);
      lines.append(
          String.format(
              Locale.ROOT,
              "{\"step\":%d,\"loss\":%.6f,\"lr\":%.8f,\"grad-norm\":%.4f,\"tokens-per-s\":%.1f,"
                  + "\"elapsed-s\":%.2f,\"aux\":{\"load-balance\":%.5f,\"router-z\":%.6f}}\n",
              step,
              loss,
              0.001 * Math.min(1, step / 20.0),
              0.5 + 1.0 / step,
              1200 + 50 * Math.cos(step),
              step * 0.5,
              0.011 + 0.001 * Math.sin(step),
              0.0009 + 0.0001 * Math.cos(step)));
    }
    lines.append("{\"step\":201,\"loss\":1.2");
    Files.writeString(runDir.resolve("metrics.jsonl"), lines);
  }

  private BufferedImage circle() {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 64);
    g.setColor(Color.RED);
    g.fillOval(12, 12, 40, 40);
    g.dispose();
    return image;
  }

  private void writeEval() throws Exception {
    Path eval = Files.createDirectories(runDir.resolve("eval/examples"));
    Files.writeString(eval.getParent().resolve("results.json"), EvalResultsTest.RESULTS);
    assertTrue(ImageIO.write(circle(), "png", eval.resolve("caption-0.png").toFile()));
    Files.writeString(
        eval.getParent().resolve("examples.json"),
        "[{\"task\":\"caption\",\"shots\":0,\"image\":\"examples/caption-0.png\","
            + "\"prompt\":\"<image>Output:\",\"output\":\"a red circle <b>big</b>\","
            + "\"expected\":[\"a red circle\",\"one red disc\"]},"
            + "{\"task\":\"vqa\",\"shots\":0,\"image\":\"../../outside.png\","
            + "\"prompt\":\"Q\",\"output\":\"A\",\"expected\":[\"B\"]},"
            + "{\"task\":\"vqa\",\"shots\":0,\"image\":\"examples/wide.png\","
            + "\"prompt\":\"what shape?\",\"output\":\"circle\",\"expected\":[\"circle\","
            + "\"oval\",\"circle\",\"circle\",\"oval\",\"circle\",\"circle\",\"oval\",\"circle\","
            + "\"circle\"],\"metric\":\"VQA accuracy\",\"score\":100},"
            + "{\"task\":\"text-core\",\"shots\":0,\"image\":null,\"prompt\":\"2+2=\","
            + "\"output\":\"5\",\"expected\":[\"4\"],\"metric\":\"exact match\","
            + "\"score\":0}]");
    // A wide image: the page must keep its 2:1 proportions.
    assertTrue(
        ImageIO.write(
            new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB),
            "png",
            eval.resolve("wide.png").toFile()));
  }

  private String read(String relative) throws Exception {
    return Files.readString(runDir.resolve(relative));
  }

  @Test
  void writesTheFullReport() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    writeMetrics();
    writeEval();

    Path index = RunReport.write(runDir);

    assertEquals(runDir.resolve("report/index.html"), index);
    String html = Files.readString(index);
    // Every plot is a real, non-blank image of the report's size, with its curve drawn.
    for (String plot :
        List.of(
            "loss.png",
            "loss-time.png",
            "lr.png",
            "grad-norm.png",
            "tokens-per-s.png",
            "aux-losses.png")) {
      BufferedImage image =
          Pixels.decode(
              runDir.resolve("report").resolve(plot), RunReport.PLOT_WIDTH, RunReport.PLOT_HEIGHT);
      int curve = Pixels.near(image, ChartFrame.color(0), 40);
      assertTrue(curve > 300, plot + " curve pixels: " + curve);
      assertTrue(html.contains("<img src=\"" + plot + "\""), plot + " is on the page");
    }
    BufferedImage aux = Pixels.decode(runDir.resolve("report/aux-losses.png"), 800, 450);
    assertTrue(Pixels.near(aux, ChartFrame.color(1), 40) > 300, "second aux loss drawn");

    // Every image the page refers to is there, relative to the page, so it shows from disk.
    Matcher sources = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (sources.find()) {
      Path file = index.getParent().resolve(sources.group(1));
      assertTrue(ImageIO.read(file.toFile()) != null, "decodable: " + file);
      images++;
    }
    assertEquals(8, images, "six plots and two example images");
    BufferedImage copied =
        ImageIO.read(index.getParent().resolve("examples/000-caption-0.png").toFile());
    assertEquals(Color.RED.getRGB(), copied.getRGB(32, 32));

    // The evaluation table, with the average row, and escaped text from the run.
    assertTrue(
        html.contains("<td class=\"num\">53.2 ± 1.6</td><td class=\"num\">60.1 ± 2.4</td>"), html);
    assertTrue(html.contains("<td class=\"num\">30.5</td><td class=\"num\">\u2014</td>"), html);
    // Only the two accuracies are averaged, never with CIDEr-D: (41.0 + 30.5) / 2 = 35.75.
    assertTrue(
        html.contains(
            "<tr class=\"average\"><td>Average of vqa, textvqa</td><td>accuracy, %</td>"
                + "<td class=\"num\">35.8</td><td class=\"num\">45.3 (1 of 2 tasks)</td></tr>"),
        html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
    // The page's own scripts: the library, the curves' data and the code that draws them; none
    // from the run's text, and nothing fetched from elsewhere.
    assertEquals(3, html.split("<script", -1).length - 1, "three script elements");
    assertFalse(html.contains("alert('x')"), "the config's text is escaped everywhere");
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "offline");
    assertTrue(html.contains("uPlot"), "the charting library is inlined");
    for (String chart :
        List.of("chart-loss", "chart-loss-time", "chart-lr", "chart-grad-norm", "chart-aux")) {
      assertTrue(html.contains("<div class=\"chart\" id=\"" + chart + "\">"), chart);
    }
    assertTrue(html.contains("centred mean of 11 points"), "the band is named in the data");
    // Examples: images at their own proportions, marks, answers counted, a text task.
    assertTrue(html.contains("src=\"examples/000-caption-0.png\" width=\"192\" height=\"192\""));
    assertTrue(html.contains("src=\"examples/002-wide.png\" width=\"192\" height=\"96\""));
    assertTrue(html.contains("<span class=\"mark right\">\u2713 right (VQA accuracy 100.0)"));
    assertTrue(html.contains("<span class=\"mark wrong\">\u2717 wrong (exact match 0.0)"));
    assertTrue(html.contains("circle \u00d77, oval \u00d73"), "ten answers counted");
    assertTrue(html.contains("<pre>2+2=</pre>"), "the text task's example is shown");
    // The configuration, compact and folded.
    assertTrue(html.contains("<details>\n<summary>The settings this run used"), html);
    assertTrue(html.contains("a red circle &lt;b&gt;big&lt;/b&gt;"));
    assertTrue(html.contains("<li>one red disc</li>"));
    assertTrue(html.contains("image ../../outside.png lies outside the eval folder"));
    assertTrue(html.contains("cut short"), "the skipped torn line is mentioned");
    assertTrue(html.contains("<td>1.2345</td>"), "final loss from the last complete line");

    String md = read("report.md");
    assertTrue(md.startsWith("# Run report: quickstart\n"), md);
    assertTrue(md.contains("- **Steps:** 200\n"), md);
    assertTrue(md.contains("- **Final loss:** 1.2345\n"), md);
    assertTrue(md.contains("| Task | Metric | 0-shot | 4-shot |\n|---|---|---:|---:|\n"), md);
    assertTrue(md.contains("| caption | CIDEr-D | 53.2 ± 1.6 | 60.1 ± 2.4 |\n"), md);
    assertTrue(md.contains("| vqa | VQA accuracy | 41.0 ± 1.2 | 45.3 |\n"), md);
    assertTrue(md.contains("| textvqa | VQA accuracy | 30.5 | \u2014 |\n"), md);
    assertTrue(
        md.contains(
            "| **Average of vqa, textvqa** | accuracy, % | **35.8** | **45.3 (1 of 2 tasks)** |\n"),
        md);
    assertTrue(md.contains("\u00b1 is the standard error over the evaluation items"), md);
    assertTrue(html.contains("\u00b1 is the standard error over the evaluation items"), html);
    assertTrue(md.contains("- [Training loss](report/loss.png)\n"), md);
    assertTrue(md.contains("[report/index.html](report/index.html)"), md);

    // Atomic writes leave no temporary files behind.
    try (Stream<Path> all = Files.walk(runDir)) {
      List<Path> hidden = new ArrayList<>();
      all.filter(p -> p.getFileName().toString().startsWith(".")).forEach(hidden::add);
      assertEquals(List.of(), hidden);
    }
  }

  /** Colleagues can read a report: its files get the umask's mode, as any new file does. */
  @Test
  void theReportsFilesHaveTheModeOfAnyNewFile() throws Exception {
    Assumptions.assumeTrue(
        runDir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file modes are POSIX permissions; this file system has none");
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    writeMetrics();
    writeEval();
    String expected =
        PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir.resolve("run.conf")));

    RunReport.write(runDir);

    List<Path> written = new ArrayList<>();
    try (Stream<Path> all = Files.walk(runDir.resolve("report"))) {
      all.filter(Files::isRegularFile).forEach(written::add);
    }
    written.add(runDir.resolve("report.md"));
    assertTrue(written.size() > 8, written.toString());
    for (Path file : written) {
      assertEquals(
          expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file + "");
    }
  }

  /** A run evaluated at two checkpoints gets a chart of its scores over them. */
  @Test
  void twoEvaluationsGiveAChartOfScoresOverCheckpoints() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    writeMetrics();
    writeEval();
    String html = Files.readString(RunReport.write(runDir));
    assertFalse(html.contains("chart-eval"), "one evaluation is no curve");

    Files.writeString(
        runDir.resolve("eval/history.jsonl"),
        "{\"step\":100,\"results\":[{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\","
            + "\"score\":30.0}]}\n"
            + "{\"step\":200,\"results\":[{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\","
            + "\"score\":41.0}]}\n");
    html = Files.readString(RunReport.write(runDir));
    assertTrue(html.contains("<div class=\"chart\" id=\"chart-eval\">"), html);
    assertTrue(html.contains("vqa 0-shot (VQA accuracy)"), "the series is named");
  }

  @Test
  void aMixedPrecisionRunShowsItsLossScaleAndSkippedSteps() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    StringBuilder lines = new StringBuilder();
    double scale = 65536;
    for (int step = 1; step <= 40; step++) {
      boolean skipped = step % 13 == 0;
      lines.append(
          String.format(
              Locale.ROOT,
              "{\"step\":%d,\"loss\":%.4f,\"lr\":0.001,%s\"loss-scale\":%.1f,"
                  + "\"skipped-steps\":%d}\n",
              step,
              4 - step / 20.0,
              skipped ? "" : "\"grad-norm\":1.0,",
              scale,
              skipped ? 1 : 0));
      if (skipped) {
        scale /= 2;
      }
    }
    Files.writeString(runDir.resolve("metrics.jsonl"), lines);

    Path index = RunReport.write(runDir);

    String html = Files.readString(index);
    assertTrue(html.contains("<div class=\"chart\" id=\"chart-loss-scale\">"), html);
    assertTrue(html.contains("<img src=\"loss-scale.png\""), html);
    BufferedImage plot =
        Pixels.decode(
            runDir.resolve("report/loss-scale.png"), RunReport.PLOT_WIDTH, RunReport.PLOT_HEIGHT);
    assertTrue(Pixels.near(plot, ChartFrame.color(0), 40) > 300, "the scale is drawn");
    String md = read("report.md");
    assertTrue(
        md.contains(
            "- **Skipped steps:** 3 (fp16-mixed: gradients overflowed float16, no update)\n"),
        md);
    assertTrue(md.contains("- [Loss scale (fp16-mixed)](report/loss-scale.png)\n"), md);
  }

  @Test
  void aFloat32RunHasNoLossScaleChart() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    writeMetrics();

    Path index = RunReport.write(runDir);

    String html = Files.readString(index);
    assertFalse(html.contains("chart-loss-scale"), "a float32 run logs no loss scale");
    assertFalse(Files.exists(runDir.resolve("report/loss-scale.png")));
    assertFalse(read("report.md").contains("Skipped steps"));
  }

  @Test
  void aRunWithoutEvaluationSaysSo() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    writeMetrics();

    Path index = RunReport.write(runDir);

    String html = Files.readString(index);
    assertTrue(html.contains(ReportContent.NOT_EVALUATED), html);
    assertFalse(html.contains("class=\"eval\""), "no table");
    assertFalse(html.contains("id=\"examples\""), "no examples section");
    assertTrue(read("report.md").contains(ReportContent.NOT_EVALUATED));
    Pixels.decode(runDir.resolve("report/loss.png"), 800, 450);
  }

  @Test
  void aCorruptMiddleLineFailsNamingFileAndLineAndWritesNothing() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    Files.writeString(
        runDir.resolve("metrics.jsonl"),
        "{\"step\":1,\"loss\":2}\n{\"step\":2,\"loss\":1.5}\n{\"step\":3,\"loss\":oops\n"
            + "{\"step\":4,\"loss\":1}\n");

    UserException e = assertThrows(UserException.class, () -> RunReport.write(runDir));

    assertTrue(e.getMessage().startsWith(runDir.resolve("metrics.jsonl") + ":3: "), e.getMessage());
    assertFalse(Files.exists(runDir.resolve("report")));
    assertFalse(Files.exists(runDir.resolve("report.md")));
  }

  @Test
  void aFolderThatIsNoRunIsRefused() {
    UserException e = assertThrows(UserException.class, () -> RunReport.write(runDir));
    assertTrue(e.getMessage().contains("is not a run directory"), e.getMessage());
  }

  @Test
  void rewritingReplacesTheEarlierReport() throws Exception {
    Files.writeString(runDir.resolve("run.conf"), CONFIG);
    writeMetrics();
    RunReport.write(runDir);
    writeEval();

    String html = Files.readString(RunReport.write(runDir));

    assertFalse(html.contains(ReportContent.NOT_EVALUATED));
    assertTrue(read("report.md").contains("| caption | CIDEr-D | 53.2 ± 1.6 | 60.1 ± 2.4 |"));
  }
}
