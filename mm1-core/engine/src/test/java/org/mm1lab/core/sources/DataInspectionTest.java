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

  private void png(Path file) throws Exception {
    java.nio.file.Files.createDirectories(file.getParent());
    ImageIO.write(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
  }

  @Test
  void theVqaV2ReleaseIsFoundByItsRealNames() throws Exception {
    // The layout of the VQA API: Questions/, Annotations/ and Images/mscoco/val2014/ side by side.
    Path questions = dir.resolve("Questions/v2_OpenEnded_mscoco_val2014_questions.json");
    java.nio.file.Files.createDirectories(questions.getParent());
    java.nio.file.Files.writeString(
        questions,
        "{\"info\":{},\"task_type\":\"Open-Ended\",\"data_type\":\"mscoco\","
            + "\"data_subtype\":\"val2014\",\"questions\":[{\"image_id\":42,"
            + "\"question\":\"What color is the bus?\",\"question_id\":42000}]}");
    Path annotations = dir.resolve("Annotations/v2_mscoco_val2014_annotations.json");
    java.nio.file.Files.createDirectories(annotations.getParent());
    java.nio.file.Files.writeString(
        annotations,
        "{\"annotations\":[{\"question_type\":\"what color is the\","
            + "\"multiple_choice_answer\":\"red\",\"answers\":[{\"answer\":\"red\","
            + "\"answer_confidence\":\"yes\",\"answer_id\":1}],\"image_id\":42,"
            + "\"answer_type\":\"other\",\"question_id\":42000}]}");
    png(dir.resolve("Images/mscoco/val2014/COCO_val2014_000000000042.jpg"));
    assertEquals(annotations, DataInspection.vqaAnnotationsFor(questions));
    DataInspection.Report report = DataInspection.inspect(questions, null, 3);
    assertEquals("vqa", report.format());
    assertEquals(1, report.records());
    assertEquals(0, report.bad(), report.badReasons().toString());
    assertEquals(1, report.images());

    // The COCO release's val2014/ beside the questions file wins, as does the annotations beside.
    Path flat = dir.resolve("flat");
    java.nio.file.Files.createDirectories(flat);
    Path q2 = flat.resolve(questions.getFileName().toString());
    java.nio.file.Files.copy(questions, q2);
    java.nio.file.Files.copy(annotations, flat.resolve(annotations.getFileName().toString()));
    png(flat.resolve("val2014/COCO_val2014_000000000042.jpg"));
    assertEquals(flat.resolve("val2014"), DataInspection.vqaImagesFor(q2));
    assertEquals(1, DataInspection.inspect(q2, null, 3).images());
  }

  @Test
  void corporaAreDetectedFromWhatTheyHold() throws Exception {
    png(dir.resolve("coco/val2014/COCO_val2014_000000000001.jpg"));
    Path karpathy = dir.resolve("coco/dataset_coco.json");
    java.nio.file.Files.writeString(
        karpathy,
        "{\"images\":[{\"filepath\":\"val2014\",\"filename\":"
            + "\"COCO_val2014_000000000001.jpg\",\"split\":\"test\",\"cocoid\":1,"
            + "\"sentences\":[{\"raw\":\"A dog.\"},{\"raw\":\"A puppy.\"}]}],"
            + "\"dataset\":\"coco\"}");
    DataInspection.Report k = DataInspection.inspect(karpathy, null, 3);
    assertEquals("karpathy", k.format());
    assertEquals(2, k.records());
    assertEquals(0, k.bad(), k.badReasons().toString());

    png(dir.resolve("docs/images/a.png"));
    Path obelics = dir.resolve("docs/obelics.jsonl");
    java.nio.file.Files.writeString(
        obelics, "{\"texts\":[\"Hi\",null],\"images\":[null,\"images/a.png\"]}\n");
    assertEquals("obelics", DataInspection.inspect(obelics, null, 3).format());
    Path mmc4 = dir.resolve("docs/docs_shard_0_v2.jsonl");
    java.nio.file.Files.writeString(
        mmc4,
        "{\"text_list\":[\"Hi.\"],\"image_info\":[{\"image_name\":\"a.png\","
            + "\"matched_text_index\":0}]}\n");
    DataInspection.Report m = DataInspection.inspect(mmc4, null, 3);
    assertEquals("mmc4", m.format());
    assertEquals(1, m.images());
    assertEquals(0, m.bad(), m.badReasons().toString());

    Path llava = dir.resolve("llava_instruct_150k.json");
    java.nio.file.Files.writeString(
        llava,
        "[{\"id\":\"1\",\"image\":\"a.jpg\",\"conversations\":[{\"from\":\"human\","
            + "\"value\":\"<image>\\nWhat is it?\"},{\"from\":\"gpt\",\"value\":\"A dog.\"}]}]");
    org.mm1lab.core.UserException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.mm1lab.core.UserException.class, () -> DataInspection.inspect(llava, null, 3));
    assertTrue(
        refused.getMessage().startsWith(llava + ": LLaVA-style instruction data"),
        refused.getMessage());
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
