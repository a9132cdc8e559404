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
}
