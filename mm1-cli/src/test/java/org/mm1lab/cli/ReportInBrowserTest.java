package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/**
 * The report of a tiny run (24 steps, evaluated) as a person sees it: a real headless Chromium
 * opens {@code report/index.html} from the file system, runs its inlined scripts, and the test
 * reads back the rendered page (every curve drawn on a canvas, the table, the examples) and keeps a
 * screenshot in {@code target/report-browser/report.png}. Without Chromium the test is skipped,
 * except in CI ({@code CI} set), where {@code .ci/run} installs it and a skip would hide a broken
 * page.
 */
class ReportInBrowserTest {

  /** Where the screenshot is kept, under the module's build output. */
  static final Path SCREENSHOTS = Path.of("target", "report-browser");

  private static final List<String> CHROMIUM_FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars",
          "--allow-file-access-from-files",
          // Time for the scripts to draw before the DOM or the screenshot is taken.
          "--virtual-time-budget=10000");

  @TempDir Path dir;

  @Test
  void theReportOfATinyRunRendersItsCurvesTableAndExamplesInABrowser() throws Exception {
    Optional<Path> chromium = chromium();
    if (chromium.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("Chromium is not installed; .ci/run installs Debian's chromium package");
      }
      Assumptions.abort(
          "no chromium or chromium-browser on the PATH: install Debian's chromium to run the"
              + " headless-browser check of the report");
    }
    Path runFile = dir.resolve("tiny.conf");
    Files.writeString(
        runFile,
        InterruptTest.TINY_RUN
            .replace("steps = 100000", "steps = 24")
            .replace("checkpoint-every = 4", "checkpoint-every = 12")
            .replace(
                "  data.mix", "  eval { items = 6, shots = [0, 1], examples = 2 }\n  data.mix"));
    Path run = dir.resolve("run");
    Result result = mm1("run", runFile.toString(), "--out", run.toString());
    assertEquals(0, result.status(), result.err());
    Path page = run.resolve("report/index.html");

    String dom = browser(chromium.get(), page, "--dump-dom");
    // Every chart the page declares has been drawn by the inlined library onto a canvas.
    List<String> charts = new ArrayList<>();
    Matcher declared =
        Pattern.compile("<div class=\"chart\" id=\"([a-z-]+)\"").matcher(Files.readString(page));
    while (declared.find()) {
      charts.add(declared.group(1));
    }
    assertTrue(
        charts.containsAll(List.of("chart-loss", "chart-loss-time", "chart-lr")), charts + "");
    for (String chart : charts) {
      int at = dom.indexOf("id=\"" + chart + "\"");
      assertTrue(at >= 0, chart + " is in the page");
      int next = dom.indexOf("class=\"chart\"", at + 1);
      String section = dom.substring(at, next < 0 ? dom.length() : next);
      assertTrue(section.contains("<canvas"), chart + " drawn on a canvas: " + section);
      assertTrue(section.contains("u-legend"), chart + " has its hover legend");
    }
    assertTrue(dom.contains("centred mean of 3 points"), "the smoothed band is in the legend");
    assertTrue(dom.contains("<table class=\"eval\">"), "the evaluation table");
    assertTrue(dom.contains("Dropped shots"), "the dropped-shots column");
    assertTrue(dom.contains("class=\"example\""), "the examples");
    assertTrue(dom.contains("class=\"mark "), "the examples' marks");

    Files.createDirectories(SCREENSHOTS);
    Path screenshot = SCREENSHOTS.resolve("report.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    browser(chromium.get(), page, "--screenshot=" + screenshot, "--window-size=1200,5600");
    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertNotNull(image, "a decodable screenshot at " + screenshot);
    assertEquals(1200, image.getWidth());
    // The first series' colour, as the charts draw the loss: the curves are on the screen.
    assertTrue(pixelsNear(image, 0x1f, 0x77, 0xb4) > 200, "curve pixels in " + screenshot);

    // Colleagues can read every file the run wrote, as any new file in the folder.
    Path reference = Files.writeString(dir.resolve("reference.txt"), "x");
    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(reference));
    for (String file :
        List.of(
            "run.conf",
            "metrics.jsonl",
            "report/index.html",
            "report/loss.png",
            "report.md",
            "eval/results.json",
            "eval/examples.json",
            "checkpoints/step-00000024/model.safetensors",
            "checkpoints/step-00000024/optimizer.safetensors")) {
      assertEquals(
          mode,
          PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve(file))),
          file);
    }
  }

  /** Runs Chromium on the page with {@code arguments}; its standard output. */
  private String browser(Path chromium, Path page, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(chromium.toString());
    command.addAll(CHROMIUM_FLAGS);
    command.add("--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
    command.addAll(List.of(arguments));
    command.add(page.toAbsolutePath().toUri().toString());
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Path err = Files.createTempFile(dir, "chromium", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("Chromium did not finish in 120 s: " + Files.readString(err));
    }
    assertEquals(0, process.exitValue(), Files.readString(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static Optional<Path> chromium() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String folder : path.split(File.pathSeparator)) {
        Path candidate = Path.of(folder, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static int pixelsNear(BufferedImage image, int r, int g, int b) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int dr = ((rgb >> 16) & 0xff) - r;
        int dg = ((rgb >> 8) & 0xff) - g;
        int db = (rgb & 0xff) - b;
        if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) < 60) {
          count++;
        }
      }
    }
    return count;
  }
}
