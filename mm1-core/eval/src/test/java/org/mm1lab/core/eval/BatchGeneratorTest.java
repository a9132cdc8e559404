package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.WorldTokenizer;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.train.MultimodalModel;

/**
 * Batched, left-padded generation on a model whose outputs depend on the whole prefix (the stand-in
 * encoder and connector, and a causal running-mean decoder): the same tokens as one prompt at a
 * time.
 */
class BatchGeneratorTest {

  @TempDir Path dir;

  @Test
  void leftPaddedBatchesGenerateWhatSinglePromptsDo() {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config =
        assembly.load(RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN), List.of());
    Components standIn = assembly.assemble(config);
    WorldTokenizer tokenizer = new WorldTokenizer();
    Components components =
        new Components(
            standIn.encoder(),
            standIn.connector(),
            new CausalMeanDecoder(standIn.connector().outputWidth(), tokenizer.vocabularySize()),
            standIn.mixer(),
            tokenizer);
    DataSettings data = new DataSettings(config);
    Engine.getInstance().setRandomSeed(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      MultimodalModel model = new MultimodalModel(components);
      model.initialize(manager, 64);
      BatchGenerator generator =
          new BatchGenerator(
              model,
              tokenizer,
              new ImagePreprocessor(components.encoder().imageSize(), data.mean(), data.std()),
              manager);
      FewShotPrompts prompts = new FewShotPrompts(tokenizer, components.connector().tokens(), 400);
      // prompts of different lengths: text only, one image, three images (two shots)
      List<EvalItem> captions = EvalFixtures.captions("c", 4);
      List<EvalItem> vqa = EvalFixtures.vqa("v", 3);
      List<Prompt> batch =
          List.of(
              prompts.build(EvalFixtures.text("t", 3).get(2), EvalFixtures.text("s", 2), 6),
              prompts.build(captions.get(0), List.of(), 6),
              prompts.build(vqa.get(0), vqa.subList(1, 3), 6),
              prompts.build(captions.get(1), captions.subList(2, 4), 6));
      Set<Integer> lengths = new HashSet<>();
      batch.forEach(p -> lengths.add(p.length()));
      assertEquals(4, lengths.size(), "the batch needs padding");

      long arraysBefore = manager.getManagedArrays().size();
      List<int[]> together = generator.generateIds(batch, 6);
      List<int[]> alone = new ArrayList<>();
      for (Prompt p : batch) {
        alone.add(generator.generateIds(List.of(p), 6).get(0));
      }
      for (int i = 0; i < batch.size(); i++) {
        assertArrayEquals(alone.get(i), together.get(i), "prompt " + i);
      }
      Set<String> distinct = new HashSet<>();
      together.forEach(ids -> distinct.add(java.util.Arrays.toString(ids)));
      assertTrue(distinct.size() > 1, "outputs depend on the prompt: " + distinct);
      assertEquals(arraysBefore, manager.getManagedArrays().size(), "every batch array is freed");
    }
  }

  @Test
  void generationStopsAtAnyEndTokenAndEndedRowsRepeatIt() {
    WorldTokenizer tokenizer = new WorldTokenizer();
    Engine.getInstance().setRandomSeed(9);
    try (NDManager manager = NDManager.newBaseManager()) {
      CausalMeanDecoder decoder = new CausalMeanDecoder(16, tokenizer.vocabularySize());
      decoder.initialize(
          manager,
          ai.djl.ndarray.types.DataType.FLOAT32,
          new ai.djl.ndarray.types.Shape(1, 4),
          new ai.djl.ndarray.types.Shape(1, 4));
      ParameterStore ps = new ParameterStore(manager, false);
      GreedyGenerator generator = new GreedyGenerator(decoder, ps);
      NDArray tokens = manager.create(new long[][] {{0, 0, 7, 8}, {9, 10, 11, 12}});
      NDArray mask = manager.create(new long[][] {{0, 0, 1, 1}, {1, 1, 1, 1}});
      long[] free = generator.generate(DecoderInput.text(tokens, mask), 5, -1).toLongArray();
      // end on row 0's first token, and on row 1's third: row 0 repeats it, row 1 runs to there
      long end0 = free[0];
      long end1 = free[5 + 2];
      NDArray stopped = generator.generate(DecoderInput.text(tokens, mask), 5, end0, end1);
      long[] ids = stopped.toLongArray();
      int columns = (int) stopped.getShape().get(1);
      assertEquals(end0, ids[0]);
      for (int c = 1; c < columns; c++) {
        assertEquals(end0, ids[c], "an ended row repeats its end token");
      }
      int firstEnd1 = -1;
      for (int c = 0; c < columns; c++) {
        if (ids[columns + c] == end0 || ids[columns + c] == end1) {
          firstEnd1 = c;
          break;
        }
      }
      assertTrue(firstEnd1 >= 0 && firstEnd1 <= 2, "row 1 ends by its third token");
      assertEquals(firstEnd1 + 1, columns, "generation stops once every row has ended");
    }
  }
}
