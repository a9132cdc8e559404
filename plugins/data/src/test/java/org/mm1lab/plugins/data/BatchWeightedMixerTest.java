package org.mm1lab.plugins.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.plugins.data.MixerTesting.assertFrequencies;
import static org.mm1lab.plugins.data.MixerTesting.assertInvalid;
import static org.mm1lab.plugins.data.MixerTesting.assertRejects;
import static org.mm1lab.plugins.data.MixerTesting.context;
import static org.mm1lab.plugins.data.MixerTesting.counts;
import static org.mm1lab.plugins.data.MixerTesting.createMixer;
import static org.mm1lab.plugins.data.MixerTesting.draw;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DataMixer;

class BatchWeightedMixerTest {

  private static final String MM1_MIX = "sources { captioned = 45, interleaved = 45, text = 10 }";
  private final BatchWeightedMixerFactory factory = new BatchWeightedMixerFactory();

  /** The source of each batch, asserting that no batch mixes sources. */
  private static List<String> batchSources(DataMixer mixer, int batches, int batchSize) {
    List<String> sources = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<String> batch = draw(mixer, batchSize);
      assertEquals(1, new HashSet<>(batch).size(), "batch " + b + " mixes sources: " + batch);
      sources.add(batch.get(0));
    }
    return sources;
  }

  @Test
  void everyBatchHasOneSourceAndBatchesVary() {
    List<String> sources = batchSources(createMixer(factory, MM1_MIX, context(7, 8)), 2000, 8);
    assertEquals(3, new HashSet<>(sources).size(), "all three weighted sources appear");
  }

  @Test
  void batchFrequenciesMatchTheWeights() {
    int batches = 100_000;
    List<String> sources = batchSources(createMixer(factory, MM1_MIX, context(7, 3)), batches, 3);
    assertFrequencies(
        counts(sources), Map.of("captioned", 0.45, "interleaved", 0.45, "text", 0.10), batches);
  }

  @Test
  void batchSizeOneIsPerExampleMixing() {
    int n = 100_000;
    Map<String, Integer> counts =
        counts(draw(createMixer(factory, "sources { vecap = 1, text = 3 }", context(5, 1)), n));
    assertFrequencies(counts, Map.of("vecap", 0.25, "text", 0.75), n);
  }

  @Test
  void sameSeedSameStreamDifferentSeedDifferent() {
    List<String> a = draw(createMixer(factory, MM1_MIX, context(7, 4)), 4000);
    List<String> b = draw(createMixer(factory, MM1_MIX, context(7, 4)), 4000);
    List<String> c = draw(createMixer(factory, MM1_MIX, context(8, 4)), 4000);
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void resumeContinuesTheExactStreamEvenMidBatch() {
    for (int k : new int[] {0, 8, 13, 1001}) {
      DataMixer original = createMixer(factory, MM1_MIX, context(11, 8));
      draw(original, k);
      String state = original.saveState();
      assertEquals("batch-weighted:" + k, state);

      DataMixer resumed = createMixer(factory, MM1_MIX, context(11, 8));
      resumed.restoreState(state);
      assertEquals(draw(original, 1000), draw(resumed, 1000), "after " + k + " draws");
    }
  }

  @Test
  void midBatchResumeFinishesTheBatchWithItsSource() {
    DataMixer original = createMixer(factory, MM1_MIX, context(2, 8));
    List<String> firstBatch = draw(original, 8);
    DataMixer resumed = createMixer(factory, MM1_MIX, context(2, 8));
    resumed.restoreState("batch-weighted:5");
    assertEquals(firstBatch.subList(5, 8), draw(resumed, 3));
  }

  @Test
  void restoreRejectsForeignAndMalformedStates() {
    DataMixer mixer = createMixer(factory, MM1_MIX, context(1));
    assertRejects(mixer, "weighted:16", "saved by the 'weighted' mixer", "'batch-weighted'");
    assertRejects(mixer, "batch-weighted:x", "malformed");
    assertRejects(mixer, "batch-weighted:-1", "negative");
    assertTrue(mixer.saveState().equals("batch-weighted:0"));
  }

  @Test
  void sharesTheWeightedMixersChecks() {
    assertInvalid(factory, "", "sources", "name at least one source, e.g. sources {");
    assertInvalid(
        factory,
        "sources { captioned = 1, intreleaved = 1 }",
        "sources.intreleaved",
        "did you mean interleaved?");
    assertInvalid(factory, "sources { text = -1 }", "sources.text", "negative");
    assertInvalid(
        factory,
        "sources { captioned = 45, text = 0 }",
        "sources.text",
        "a weight of 0 draws nothing from text; remove the entry instead");
    assertInvalid(factory, "sources { text = 1e400 }", "sources.text", "finite");
  }
}
