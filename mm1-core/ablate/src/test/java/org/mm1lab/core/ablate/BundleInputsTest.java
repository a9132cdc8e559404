package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs a bundle carries, with real files: which settings name inputs, files, folders, lists
 * and brace patterns of shards copied and renamed to paths relative to the bundle, the same input
 * copied once, and a missing one (or a missing shard of a pattern) reported, nothing copied.
 */
class BundleInputsTest {

  @TempDir Path dir;

  private Config config(String hocon) {
    return ConfigFactory.parseString(hocon);
  }

  @Test
  void everyInputSettingIsFoundAndTheWorldIsNot() {
    Config c =
        config(
            "mm1.model.encoder.checkpoint = a, mm1.model.connector.checkpoint = \"\","
                + " mm1.model.decoder { type = dense },"
                + " mm1.data.tokenizer = world,"
                + " mm1.data.sources { w { format = world, kind = text },"
                + "   s { format = coco, annotations = x.json, images = imgs } },"
                + " mm1.eval.sets { vqa { format = vqa, questions = q.json, shots-images = si,"
                + "   image-pattern = \"%012d.png\" } }");
    assertEquals(
        List.of(
            "mm1.model.encoder.checkpoint",
            "mm1.data.sources.s.annotations",
            "mm1.data.sources.s.images",
            "mm1.eval.sets.vqa.questions",
            "mm1.eval.sets.vqa.shots-images"),
        BundleInputs.inputKeys(c));
    assertEquals(
        List.of("mm1.data.tokenizer"),
        BundleInputs.inputKeys(config("mm1.data.tokenizer = tok/tokenizer.json")));
  }

  @Test
  void filesFoldersListsAndShardPatternsAreCopiedAndRenamed() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("texts.jsonl"), "{\"id\":\"1\",\"text\":\"t\"}\n");
    Path shards = Files.createDirectories(data.resolve("shards"));
    for (int i = 0; i < 3; i++) {
      Files.writeString(shards.resolve("shard-00" + i + ".tar"), "shard " + i);
    }
    Files.writeString(shards.resolve("unrelated.tar"), "not named by the pattern");
    Path images = Files.createDirectories(data.resolve("images/sub"));
    Files.writeString(images.resolve("1.png"), "png");
    Path tokenizer = dir.resolve("tokenizer.json");
    Files.writeString(tokenizer, "{}");
    Path bundle = dir.resolve("bundle");
    BundleInputs inputs = new BundleInputs(bundle);
    Config c =
        config(
            "mm1.data.tokenizer = \""
                + tokenizer
                + "\", mm1.data.sources {"
                + " t { format = jsonl-text, path = \""
                + data.resolve("texts.jsonl")
                + "\" },"
                + " w { format = webdataset, path = [\""
                + shards
                + "/shard-{000..002}.tar\", \""
                + data.resolve("texts.jsonl")
                + "\"] },"
                + " c { format = coco, annotations = \""
                + data.resolve("texts.jsonl")
                + "\", images = \""
                + data.resolve("images")
                + "\" } }");
    List<String> missing = new ArrayList<>();
    Config out = inputs.rewrite(c, missing);
    assertEquals(List.of(), missing);
    assertEquals("inputs/1-tokenizer.json", out.getString("mm1.data.tokenizer"));
    assertEquals("inputs/2-texts.jsonl", out.getString("mm1.data.sources.t.path"));
    assertEquals(
        List.of("inputs/4-shards/shard-{000..002}.tar", "inputs/2-texts.jsonl"),
        out.getStringList("mm1.data.sources.w.path"));
    assertEquals("inputs/2-texts.jsonl", out.getString("mm1.data.sources.c.annotations"));
    assertEquals("inputs/3-images", out.getString("mm1.data.sources.c.images"));
    assertFalse(Files.exists(bundle), "nothing is copied before copy()");

    inputs.copy();
    assertEquals("{}", Files.readString(bundle.resolve("inputs/1-tokenizer.json")));
    for (int i = 0; i < 3; i++) {
      assertEquals(
          "shard " + i, Files.readString(bundle.resolve("inputs/4-shards/shard-00" + i + ".tar")));
    }
    assertFalse(Files.exists(bundle.resolve("inputs/4-shards/unrelated.tar")));
    assertEquals("png", Files.readString(bundle.resolve("inputs/3-images/sub/1.png")));
    assertEquals(
        Map.of(
            "inputs/1-tokenizer.json", tokenizer.toString(),
            "inputs/2-texts.jsonl", data.resolve("texts.jsonl").toString(),
            "inputs/3-images", data.resolve("images").toString(),
            "inputs/4-shards/shard-{000..002}.tar", shards + "/shard-{000..002}.tar"),
        inputs.copied());
  }

  @Test
  void aMissingFileOrShardIsAProblemAndNotCopied() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("shards"));
    Files.writeString(shards.resolve("s-0.tar"), "0");
    BundleInputs inputs = new BundleInputs(dir.resolve("bundle"));
    List<String> missing = new ArrayList<>();
    Config out =
        inputs.rewrite(
            config(
                "mm1.model.encoder.checkpoint = \""
                    + dir.resolve("nope.safetensors")
                    + "\", mm1.data.sources.w { format = webdataset, path = \""
                    + shards
                    + "/s-{0..2}.tar\" }, mm1.data.sources.b { format = webdataset, path ="
                    + " \"x/{a\" }"),
            missing);
    assertEquals(3, missing.size(), missing.toString());
    assertTrue(
        missing
            .get(0)
            .startsWith(
                "mm1.model.encoder.checkpoint = "
                    + dir.resolve("nope.safetensors")
                    + ": no such file or folder (relative paths are looked up in the working"
                    + " directory "),
        missing.get(0));
    assertEquals("mm1.data.sources.b.path = x/{a: '{' without '}'", missing.get(1));
    assertTrue(
        missing.get(2).contains(": 2 of its 3 paths do not exist, first " + shards + "/s-1.tar"),
        missing.get(2));
    assertEquals(
        dir.resolve("nope.safetensors").toString(),
        out.getString("mm1.model.encoder.checkpoint"),
        "a missing input keeps its path");
    inputs.copy();
    assertFalse(Files.exists(dir.resolve("bundle")), "nothing copied");
  }
}
