package org.mm1lab.core.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Report;

/**
 * Copies the images of the evaluation examples into the report folder, so that the page shows them
 * when opened from disk, moved, or attached elsewhere, without depending on {@code ../eval}.
 */
final class ExampleImages {

  /**
   * An example as the page shows it.
   *
   * @param example the example
   * @param href the copied image relative to the report folder; {@code null} when there is none
   * @param imageProblem why an image named by the example is not shown; {@code null} when it is
   * @param width the image's width in pixels; 0 when there is none or it cannot be decoded
   * @param height the image's height in pixels; 0 likewise
   */
  record Shown(
      EvalExamples.Example example, String href, String imageProblem, int width, int height) {
    Shown(EvalExamples.Example example, String href, String imageProblem) {
      this(example, href, imageProblem, 0, 0);
    }
  }

  private ExampleImages() {}

  /** Copies each example's image from {@code evalDir} to {@code reportDir/examples}. */
  static List<Shown> copy(List<EvalExamples.Example> examples, Path evalDir, Path reportDir)
      throws IOException {
    Path base = evalDir.toAbsolutePath().normalize();
    List<Shown> shown = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      EvalExamples.Example e = examples.get(i);
      if (e.image() == null || e.image().isBlank()) {
        shown.add(new Shown(e, null, null));
        continue;
      }
      Path source = base.resolve(e.image()).normalize();
      // The examples file names the images; it must not pull in files from outside eval/.
      if (!source.startsWith(base)) {
        shown.add(new Shown(e, null, "image " + e.image() + " lies outside the eval folder"));
        continue;
      }
      if (!Files.isRegularFile(source)) {
        shown.add(new Shown(e, null, "image " + RunLayout.EVAL + "/" + e.image() + " not found"));
        continue;
      }
      // An index prefix keeps images with the same name from different folders apart, and the
      // restricted characters keep the name valid as a URL without escaping.
      String name =
          String.format(
              Locale.ROOT,
              "%03d-%s",
              i,
              source.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
      AtomicFiles.copy(source, reportDir.resolve(Report.EXAMPLE_IMAGES).resolve(name));
      // The page gives the image its own proportions, so no layout can stretch a circle.
      BufferedImage image = ImageIO.read(source.toFile());
      shown.add(
          new Shown(
              e,
              Report.EXAMPLE_IMAGES + "/" + name,
              null,
              image == null ? 0 : image.getWidth(),
              image == null ? 0 : image.getHeight()));
    }
    return shown;
  }
}
