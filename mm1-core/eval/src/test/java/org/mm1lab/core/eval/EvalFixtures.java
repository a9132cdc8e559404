package org.mm1lab.core.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.testplugin.RunFiles;

/** Hand-made evaluation items and run configurations over the stand-in plugin. */
final class EvalFixtures {

  private EvalFixtures() {}

  /** The stand-in run, with overrides. */
  static RunConfig config(Path dir, String... overrides) {
    Assembly assembly = new Assembly(EvalFixtures.class.getClassLoader());
    return assembly.load(
        RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN), List.of(overrides));
  }

  /** A plain image of one colour, distinguishable by its pixels. */
  static ImageSource image(int rgb) {
    BufferedImage image = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(rgb));
    g.fillRect(0, 0, 12, 12);
    g.dispose();
    return ImageSource.of(image);
  }

  /** Caption items {@code <prefix>-i} with references "a red circle i" and "ref two i". */
  static List<EvalItem> captions(String prefix, int n) {
    List<EvalItem> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new EvalItem.Caption(
              prefix + "-" + i,
              image(0x102030 * (i + 1)),
              List.of(
                  "a red circle " + i, "two blue squares " + i, "one star", "a shape", "a ring")));
    }
    return out;
  }

  /** VQA items whose majority answer is "yes" (7 of 10) or "no". */
  static List<EvalItem> vqa(String prefix, int n) {
    List<EvalItem> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String majority = i % 2 == 0 ? "yes" : "no";
      String other = i % 2 == 0 ? "no" : "yes";
      List<String> answers = new ArrayList<>();
      for (int a = 0; a < 10; a++) {
        answers.add(a < 3 ? other : majority);
      }
      out.add(
          new EvalItem.Vqa(
              prefix + "-" + i, image(0x405060 + i), "is there a red circle " + i + "?", answers));
    }
    return out;
  }

  /** Text tasks "count i, i+1," answered with i+2 (in digits). */
  static List<EvalItem> text(String prefix, int n) {
    List<EvalItem> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new EvalItem.TextTask(
              prefix + "-" + i,
              i % 2 == 0 ? "count" : "other",
              "count " + i + ", " + (i + 1) + ",",
              String.valueOf(i + 2)));
    }
    return out;
  }
}
