package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/** {@code mm1 data inspect} says what decoding changed and refuses what it cannot read. */
class DataInspectCommandTest {

  @TempDir Path dir;

  @Test
  void conversionsArePrintedAndLlavaIsOneLineWithExitTwo() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    BufferedImage greyAlpha =
        new BufferedImage(
            new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_GRAY),
                true,
                false,
                java.awt.Transparency.TRANSLUCENT,
                DataBuffer.TYPE_BYTE),
            Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 2, 2, 2, null),
            false,
            null);
    ImageIO.write(greyAlpha, "png", images.resolve("a.png").toFile());
    Path doc = dir.resolve("obelics.jsonl");
    Files.writeString(doc, "{\"texts\":[\"Hi\",null],\"images\":[null,\"images/a.png\"]}\n");
    Result ok = mm1("data", "inspect", doc.toString());
    assertEquals(0, ok.status(), ok.err());
    assertTrue(ok.out().contains(doc + ": obelics"), ok.out());
    assertTrue(
        ok.out()
            .contains(
                "  converted while decoding:\n"
                    + "    1 image: transparency dropped (stored colours kept)"),
        ok.out());

    Path llava = dir.resolve("llava.json");
    Files.writeString(
        llava, "[{\"image\":\"a.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"}]}]");
    Result refused = mm1("data", "inspect", llava.toString());
    assertEquals(2, refused.status(), refused.err());
    assertEquals(1, refused.errLines().size(), refused.err());
    assertTrue(
        refused.err().startsWith("mm1: error: " + llava + ": LLaVA-style instruction data"),
        refused.err());
    assertFalse(refused.err().contains("\tat "), refused.err());
  }

  @Test
  void aBracePatternOfShardsIsInspectedAsOneSource() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("shards"));
    for (int i = 0; i < 3; i++) {
      try (org.mm1lab.core.data.formats.WebDatasetWriter writer =
          new org.mm1lab.core.data.formats.WebDatasetWriter(shards, "shard-" + i, 10)) {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", png);
        writer.writeRecord(
            "k" + i,
            java.util.Map.of(
                "png",
                png.toByteArray(),
                "txt",
                "c".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
    // The writer names its shards PREFIX-000000.tar.
    Result ok = mm1("data", "inspect", shards + "/shard-{0..2}-000000.tar");
    assertEquals(0, ok.status(), ok.err());
    assertTrue(ok.out().contains("records: 3, images: 3, unreadable: 0"), ok.out());
    Result missing = mm1("data", "inspect", shards + "/shard-{0..3}-000000.tar");
    assertEquals(2, missing.status(), missing.err());
    assertTrue(missing.err().contains("1 of the 4 paths of"), missing.err());
  }
}
