package org.mm1lab.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.MixerContext;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.WorldTokenizer;
import org.mm1lab.core.pipeline.BatchPipeline;
import org.mm1lab.core.pipeline.HostBatch;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.pipeline.PipelineConfig;
import org.mm1lab.core.pipeline.PipelineState;
import org.mm1lab.core.pipeline.SequenceBuilder;
import org.mm1lab.core.pipeline.SequenceStats;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.testplugin.StandInMixer;
import org.mm1lab.core.world.SyntheticWorld;
import org.mm1lab.toolkit.options.ConfigOptions;

/** The same run trains from the in-memory world or from the files it was written to. */
class WorldFilesEquivalenceTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(getClass().getClassLoader());

  private DataSettings settings(String extra) {
    String text = extra + RunFiles.STAND_IN_RUN;
    RunConfig config = assembly.load(RunFiles.write(dir, "run.conf", text), List.of());
    return new DataSettings(config);
  }

  private static List<HostBatch> batches(DataSettings settings, int n) {
    WorldTokenizer tokenizer = new WorldTokenizer();
    var mixer =
        new StandInMixer.Factory()
            .create(
                ConfigOptions.parse("mix", "order = [captioned, interleaved, text, vecap]"),
                new MixerContext(1, settings.sourceNames(), 4));
    PipelineConfig config =
        new PipelineConfig(
            DataSources.open(settings),
            mixer,
            new SequenceBuilder(tokenizer, 4, 96, new SequenceStats()),
            tokenizer,
            new ImagePreprocessor(32, settings.mean(), settings.std()),
            4,
            false,
            2,
            2,
            settings.maxBadFraction());
    try (BatchPipeline pipeline = new BatchPipeline(config, PipelineState.start("0"))) {
      List<HostBatch> out = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(pipeline.next());
      }
      return out;
    }
  }

  @Test
  void filesWrittenFromTheWorldGiveTheSameBatches() throws Exception {
    DataSettings inMemory = settings("");
    Path out = dir.resolve("world");
    // Written at the size the run's encoder draws the in-memory world at.
    SyntheticWorld world = DataSources.world(inMemory);
    SyntheticWorld drawn = new SyntheticWorld(world.seed(), world.settings().withRenderSize(32));
    WorldExport.export(drawn, out, new WorldExport.Counts(12, 3, 2, 5));
    assertTrue(Files.isRegularFile(out.resolve("eval/vqa-questions.json")));

    DataSettings fromFiles = settings("include file(\"" + out.resolve("sources.conf") + "\")\n");
    assertEquals("webdataset", fromFiles.sources().get("captioned").format());

    List<HostBatch> a = batches(inMemory, 5);
    List<HostBatch> b = batches(fromFiles, 5);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(tokens(a.get(i)), tokens(b.get(i)), "batch " + i);
      assertArrayEquals(pixels(a.get(i)), pixels(b.get(i)), "batch " + i);
    }
  }

  @Test
  void generatingIntoAFolderThatIsNotEmptyIsRefusedAndTouchesNothing() throws Exception {
    Path out = Files.createDirectories(dir.resolve("used"));
    Path keep = Files.writeString(out.resolve("keep.txt"), "mine");
    SyntheticWorld world = DataSources.world(settings(""));
    UserException e =
        assertThrows(
            UserException.class,
            () -> WorldExport.export(world, out, new WorldExport.Counts(2, 1, 1, 5)));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    try (Stream<Path> listed = Files.list(out)) {
      assertEquals(List.of(keep), listed.toList());
    }
    assertEquals("mine", Files.readString(keep));
  }

  @Test
  void inspectionCountsRecordsImagesAndBadLines() throws Exception {
    Path out = dir.resolve("w");
    WorldExport.export(DataSources.world(settings("")), out, new WorldExport.Counts(10, 2, 2, 4));
    DataInspection.Report shards = DataInspection.inspect(out.resolve("captioned"), null, 2);
    assertEquals("webdataset", shards.format());
    assertEquals(10, shards.records());
    assertEquals(10, shards.images());
    assertEquals(0, shards.bad());
    assertEquals(2, shards.examples().size());

    Path text = out.resolve("text.jsonl");
    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, Files.readString(text) + "{ not json\n");
    DataInspection.Report report = DataInspection.inspect(broken, null, 1);
    assertEquals("jsonl-text", report.format());
    assertEquals(11, report.records());
    assertEquals(1, report.bad());
    assertTrue(
        report.badReasons().get(0).startsWith("broken.jsonl: line 11"),
        report.badReasons().toString());
  }

  @Test
  void inspectionReadsTheEvaluationSets() throws Exception {
    Path out = dir.resolve("w");
    // 2 examples per training source, 6 evaluation items and 3 shots per task, 2 per shard
    WorldExport.export(DataSources.world(settings("")), out, new WorldExport.Counts(2, 6, 3, 2));
    DataInspection.Report vqa =
        DataInspection.inspect(out.resolve("eval/vqa-questions.json"), null, 2);
    assertEquals("vqa", vqa.format());
    assertEquals(6, vqa.records());
    assertEquals(6, vqa.images());
    assertEquals(0, vqa.bad());
    assertTrue(vqa.examples().get(0).contains("vqa: "), vqa.examples().toString());

    DataInspection.Report text =
        DataInspection.inspect(out.resolve("eval/text-core.jsonl"), null, 2);
    assertEquals("jsonl-text-tasks", text.format());
    assertEquals(6, text.records());
    assertEquals(0, text.bad());
  }

  private static int[] tokens(HostBatch batch) {
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      return batch.inputs(manager).tokens().toIntArray();
    }
  }

  private static float[] pixels(HostBatch batch) {
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      var p = batch.inputs(manager).pixels();
      return p == null ? new float[0] : p.toFloatArray();
    }
  }
}
