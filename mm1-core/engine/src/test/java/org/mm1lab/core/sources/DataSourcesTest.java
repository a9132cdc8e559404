package org.mm1lab.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.testplugin.RunFiles;

/** The corpora formats as a run file names them. */
class DataSourcesTest {

  @TempDir Path dir;

  @Test
  void obelicsMmc4AndKarpathySourcesOpenFromTheRunFile() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    ImageIO.write(
        new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB),
        "png",
        images.resolve("a.png").toFile());
    Files.createDirectories(dir.resolve("coco/val2014"));
    Files.copy(images.resolve("a.png"), dir.resolve("coco/val2014/COCO_val2014_1.jpg"));
    Files.writeString(
        dir.resolve("obelics.jsonl"),
        "{\"texts\":[\"Look:\",null],\"images\":[null,\"images/a.png\"]}\n");
    Files.writeString(
        dir.resolve("mmc4.jsonl"),
        "{\"text_list\":[\"A.\",\"B.\"],\"image_info\":[{\"image_name\":\"a.png\","
            + "\"matched_text_index\":1}]}\n");
    Files.writeString(
        dir.resolve("dataset_coco.json"),
        "{\"images\":[{\"filepath\":\"val2014\",\"filename\":\"COCO_val2014_1.jpg\","
            + "\"split\":\"restval\",\"cocoid\":1,\"sentences\":[{\"raw\":\"One.\"},"
            + "{\"raw\":\"Two.\"}]}]}");
    String sources =
        "  data.sources {\n"
            + "    obelics { format = obelics, path = \""
            + dir.resolve("obelics.jsonl")
            + "\" }\n"
            + "    mmc4 { format = mmc4, path = [\""
            + dir.resolve("mmc4.jsonl")
            + "\"], images = \""
            + images
            + "\" }\n"
            + "    coco { format = karpathy, path = \""
            + dir.resolve("dataset_coco.json")
            + "\", images = \""
            + dir.resolve("coco")
            + "\", split = \"train,restval\" }\n"
            + "  }";
    String text = RunFiles.STAND_IN_RUN.replace("  data.mix {", sources + "\n  data.mix {");
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config = assembly.load(RunFiles.write(dir, "run.conf", text), List.of());
    Map<String, DataSource> opened = DataSources.open(new DataSettings(config));
    try (DataSource.ExampleStream obelics = opened.get("obelics").open(0);
        DataSource.ExampleStream mmc4 = opened.get("mmc4").open(0);
        DataSource.ExampleStream coco = opened.get("coco").open(0)) {
      assertEquals(2, ((Example.Interleaved) obelics.next()).chunks().size());
      assertEquals(3, ((Example.Interleaved) mmc4.next()).chunks().size());
      assertEquals("One.", ((Example.Captioned) coco.next()).caption());
      assertEquals("Two.", ((Example.Captioned) coco.next()).caption());
    }
  }
}
