package org.mm1lab.core.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.data.formats.WebDatasetWriter;

class DataInspectionTest {

  @TempDir Path dir;

  /** A 4x4 lossless WebP, as libwebp's cwebp writes it. */
  private static final String WEBP =
      "UklGRjYAAABXRUJQVlA4TCoAAAAvA8AAAB8gEEjyJxxjHDVtGzC5yp/vFNoQU/1/q2r+A3dspeCg9RH9jwE=";

  @Test
  void webpMembersAreReadAndConversionsAreSaid() throws Exception {
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
    greyAlpha.getRaster().setPixel(0, 0, new int[] {128, 40});
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(greyAlpha, "png", png);

    Path shards = dir.resolve("shards");
    try (WebDatasetWriter writer = new WebDatasetWriter(shards, "s", 10)) {
      writer.writeRecord("a", members("webp", Base64.getDecoder().decode(WEBP), "txt", "webp"));
      writer.writeRecord("b", members("png", png.toByteArray(), "txt", "grey and alpha"));
      writer.writeRecord("c", members("png", png.toByteArray(), "txt", "again"));
    }
    DataInspection.Report report = DataInspection.inspect(shards, null, 3);
    assertEquals("webdataset", report.format());
    assertEquals(3, report.records());
    assertEquals(3, report.images());
    assertEquals(0, report.bad(), report.badReasons().toString());
    assertTrue(report.examples().get(0).endsWith("(4x4)"), report.examples().get(0));
    assertEquals(
        List.of("2 images: transparency dropped (stored colours kept)"), report.conversions());
  }

  @Test
  void gzipJsonLinesAreDetectedAndRead() throws Exception {
    Path file = dir.resolve("c4-train.00000-of-01024.json.gz");
    try (java.io.OutputStream out =
        new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(file))) {
      out.write(
          "{\"text\":\"one\",\"url\":\"u\"}\n{\"text\":\"two\",\"url\":\"v\"}\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    DataInspection.Report report = DataInspection.inspect(file, null, 3);
    assertEquals("jsonl-text", report.format());
    assertEquals(2, report.records());
    assertEquals(0, report.bad());
  }

  private static Map<String, byte[]> members(Object... extensionsAndContents) {
    Map<String, byte[]> members = new LinkedHashMap<>();
    for (int i = 0; i < extensionsAndContents.length; i += 2) {
      Object content = extensionsAndContents[i + 1];
      members.put(
          (String) extensionsAndContents[i],
          content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) content);
    }
    return members;
  }
}
