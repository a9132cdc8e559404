package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.sources.DataSources;
import org.mm1lab.core.sources.WorldExport;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.world.SyntheticWorld;

/** The files {@code mm1 data generate} writes are evaluation sets equal to the world's own. */
class EvalSetsTest {

  @TempDir Path dir;

  @Test
  void exportedEvalFilesReadBackAsTheWorldsSets() {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig plain =
        assembly.load(RunFiles.write(dir, "plain.conf", RunFiles.STAND_IN_RUN), List.of());
    SyntheticWorld world = DataSources.world(new DataSettings(plain));
    Path export = dir.resolve("world");
    WorldExport.export(world, export, new WorldExport.Counts(1, 4, 3, 5));
    String run =
        RunFiles.STAND_IN_RUN + "include file(\"" + export.resolve("eval-sets.conf") + "\")\n";
    RunConfig config =
        assembly.load(RunFiles.write(dir, "files.conf", run), List.of("mm1.eval.shots=[0, 2]"));
    EvalSettings settings = new EvalSettings(config);
    assertEquals("coco", settings.sets().get("caption").format());
    EvalSets sets = EvalSets.open(settings, new DataSettings(config));

    List<EvalItem> captions = sets.items("caption", 10);
    assertEquals(4, captions.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(
          ((EvalItem.Caption) world.evalSet("caption", 4).get(i)).references(),
          ((EvalItem.Caption) captions.get(i)).references());
    }
    List<EvalItem> vqa = sets.items("vqa", 4);
    for (int i = 0; i < 4; i++) {
      EvalItem.Vqa expected = (EvalItem.Vqa) world.evalSet("vqa", 4).get(i);
      EvalItem.Vqa read = (EvalItem.Vqa) vqa.get(i);
      assertEquals(expected.question(), read.question());
      assertEquals(expected.answers(), read.answers());
    }
    assertEquals(world.evalSet("text-core", 4), sets.items("text-core", 4));
    assertEquals(world.shotsSet("text-core", 3), sets.shots("text-core", 32));
    assertEquals(3, sets.shots("vqa", 32).size());
  }

  @Test
  void karpathySplitsAreCaptionItemsAndShots() throws Exception {
    Path images = dir.resolve("coco");
    java.nio.file.Files.createDirectories(images.resolve("val2014"));
    java.awt.image.BufferedImage pixel =
        new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      String name = String.format("COCO_val2014_%012d.jpg", i);
      javax.imageio.ImageIO.write(pixel, "png", images.resolve("val2014/" + name).toFile());
      entries
          .append(i == 0 ? "" : ",")
          .append("{\"filepath\":\"val2014\",\"filename\":\"")
          .append(name)
          .append("\",\"split\":\"")
          .append(i < 3 ? "test" : "train")
          .append("\",\"cocoid\":")
          .append(i)
          .append(",\"sentences\":[{\"raw\":\"caption ")
          .append(i)
          .append("\"}]}");
    }
    Path file = dir.resolve("dataset_coco.json");
    java.nio.file.Files.writeString(file, "{\"images\":[" + entries + "],\"dataset\":\"coco\"}");
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config =
        assembly.load(
            RunFiles.write(dir, "k.conf", RunFiles.STAND_IN_RUN),
            List.of(
                "mm1.eval.tasks=[caption]",
                "mm1.eval.shots=[0, 1]",
                "mm1.eval.sets.caption={format=karpathy, path=\""
                    + file
                    + "\", images=\""
                    + images
                    + "\", split=test, shots-split=train}"));
    EvalSets sets = EvalSets.open(new EvalSettings(config), new DataSettings(config));
    List<EvalItem> items = sets.items("caption", 10);
    assertEquals(3, items.size());
    assertEquals(List.of("caption 2"), ((EvalItem.Caption) items.get(2)).references());
    List<EvalItem> shots = sets.shots("caption", 10);
    assertEquals(List.of("caption 3"), ((EvalItem.Caption) shots.get(0)).references());
  }
}
