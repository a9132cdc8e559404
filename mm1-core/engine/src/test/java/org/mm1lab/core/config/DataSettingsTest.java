package org.mm1lab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.world.WorldSettings;

class DataSettingsTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(getClass().getClassLoader());

  private DataSettings settings(String dataSection, String... overrides) {
    String text = RunFiles.STAND_IN_RUN.replace("  data.mix {", dataSection + "\n  data.mix {");
    RunConfig config = assembly.load(RunFiles.write(dir, "run.conf", text), List.of(overrides));
    return new DataSettings(config);
  }

  private String problem(String dataSection, String... overrides) {
    return assertThrows(UserException.class, () -> settings(dataSection, overrides)).getMessage();
  }

  @Test
  void noSourcesMeansTheWorldsFourKinds() {
    DataSettings data = settings("");
    assertEquals(List.of("captioned", "vecap", "interleaved", "text"), data.sourceNames());
    assertEquals(
        new DataSettings.SourceSpec("vecap", "world", Map.of("kind", "vecap")),
        data.sources().get("vecap"));
    assertEquals("world", data.tokenizer());
    assertEquals(WorldSettings.AT_CONSUMER_SIZE, data.world().renderSize());
  }

  @Test
  void theWorldDrawsAtAFixedSizeOrAtTheEncoders() {
    assertEquals(96, settings("", "mm1.data.world.render-size=96").world().renderSize());
    assertEquals(
        WorldSettings.AT_CONSUMER_SIZE,
        settings("", "mm1.data.world.render-size=auto").world().renderSize());
    assertTrue(
        problem("", "mm1.data.world.render-size=large")
            .contains("must be auto (the encoder's size) or a number of pixels, got 'large'"));
    assertTrue(
        problem("", "mm1.data.world.render-size=8")
            .contains("render-size must be auto or between 16 and 4096 pixels, got 8"));
    assertTrue(
        problem("", "mm1.data.world.max-text-size=0.5").startsWith("mm1.data.world.max-text-size"));
  }

  @Test
  void namedSourcesReplaceTheDefaultsInNameOrder() {
    DataSettings data =
        settings(
            "  data.sources {\n"
                + "    web { format = webdataset, path = shards }\n"
                + "    dense { format = world, kind = vecap }\n"
                + "  }");
    assertEquals(List.of("dense", "web"), data.sourceNames());
    assertEquals(Map.of("path", "shards"), data.sources().get("web").options());
  }

  @Test
  void pathIsAStringOrAListOfShardsFoldersAndPatterns() {
    DataSettings data =
        settings(
            "  data.sources {\n"
                + "    web { format = webdataset, path = [\"a/shard-{000000..000009}.tar\", b] }\n"
                + "    one { format = jsonl-text, path = c4.json.gz }\n"
                + "  }");
    assertEquals(List.of("a/shard-{000000..000009}.tar", "b"), data.sources().get("web").paths());
    assertEquals(List.of("c4.json.gz"), data.sources().get("one").paths());
    assertTrue(
        problem("  data.sources { web { format = webdataset, path = [] } }")
            .endsWith("is an empty list; name at least one file or folder"));
  }

  @Test
  void unknownFormatSuggestsTheClosest() {
    String message = problem("  data.sources { web { format = webdatset, path = x } }");
    assertEquals(
        "mm1.data.sources.web.format ("
            + dir.resolve("run.conf")
            + ":8): unknown format 'webdatset'; known: "
            + String.join(", ", DataSettings.FORMATS.keySet())
            + "; did you mean webdataset?",
        message);
  }

  @Test
  void anOptionTheFormatDoesNotTakeIsNamed() {
    String message = problem("  data.sources { web { format = webdataset, pth = x } }");
    assertEquals(
        "mm1.data.sources.web.pth ("
            + dir.resolve("run.conf")
            + ":8): format webdataset takes no option 'pth'; did you mean path?; it takes: path",
        message);
  }

  @Test
  void aMissingRequiredOptionIsNamed() {
    String message = problem("  data.sources { text { format = jsonl-text } }");
    assertEquals(
        "mm1.data.sources.text ("
            + dir.resolve("run.conf")
            + ":8): format jsonl-text needs path = ...",
        message);
  }

  @Test
  void worldDifficultyIsValidated() {
    String message = problem("", "mm1.data.world.max-objects=0");
    assertEquals(
        "mm1.data.world.max-objects (--set mm1.data.world.max-objects=0): max-objects must be"
            + " between min-objects (1) and 8, got 0",
        message);
  }

  @Test
  void aTokenizerThatIsNoFileIsRefused() {
    String message = problem("", "mm1.data.tokenizer=nowhere/tokenizer.json");
    assertEquals(
        "mm1.data.tokenizer (--set mm1.data.tokenizer=nowhere/tokenizer.json): 'nowhere/tokenizer.json'"
            + " is neither world nor an existing tokenizer.json file",
        message);
  }
}
