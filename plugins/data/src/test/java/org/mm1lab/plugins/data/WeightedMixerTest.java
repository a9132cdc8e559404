package org.mm1lab.plugins.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.mm1lab.plugins.data.MixerTesting.assertFrequencies;
import static org.mm1lab.plugins.data.MixerTesting.assertInvalid;
import static org.mm1lab.plugins.data.MixerTesting.assertRejects;
import static org.mm1lab.plugins.data.MixerTesting.context;
import static org.mm1lab.plugins.data.MixerTesting.counts;
import static org.mm1lab.plugins.data.MixerTesting.createMixer;
import static org.mm1lab.plugins.data.MixerTesting.draw;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DataMixer;

class WeightedMixerTest {

  private static final String MM1_MIX = "sources { captioned = 45, interleaved = 45, text = 10 }";
  private final WeightedMixerFactory factory = new WeightedMixerFactory();

  @Test
  void sameSeedGivesTheSameStream() {
    List<String> a = draw(createMixer(factory, MM1_MIX, context(7)), 2000);
    List<String> b = draw(createMixer(factory, MM1_MIX, context(7)), 2000);
    assertEquals(a, b);
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    List<String> a = draw(createMixer(factory, MM1_MIX, context(7)), 2000);
    List<String> b = draw(createMixer(factory, MM1_MIX, context(8)), 2000);
    assertNotEquals(a, b);
    // Not merely shifted copies: neighbouring seeds agree about as often as independent draws do
    // (0.45^2 + 0.45^2 + 0.1^2 = 0.415), far from 1.
    int same = 0;
    for (int i = 0; i < a.size(); i++) {
      same += a.get(i).equals(b.get(i)) ? 1 : 0;
    }
    assertEquals(0.415, same / 2000.0, 0.05);
  }

  @Test
  void frequenciesMatchTheWeights() {
    int n = 100_000;
    Map<String, Integer> counts = counts(draw(createMixer(factory, MM1_MIX, context(7)), n));
    assertFrequencies(counts, Map.of("captioned", 0.45, "interleaved", 0.45, "text", 0.10), n);
  }

  @Test
  void frequenciesMatchUnevenWeightsForOtherSeeds() {
    int n = 100_000;
    for (long seed : new long[] {0, 1, -1, Long.MAX_VALUE}) {
      Map<String, Integer> counts =
          counts(draw(createMixer(factory, "sources { vecap = 1, text = 3 }", context(seed)), n));
      assertFrequencies(counts, Map.of("vecap", 0.25, "text", 0.75), n);
    }
  }

  @Test
  void onlyRatiosMatter() {
    List<String> a = draw(createMixer(factory, MM1_MIX, context(3)), 5000);
    List<String> b =
        draw(
            createMixer(
                factory,
                "sources { captioned = 0.45, interleaved = 0.45, text = 0.1 }",
                context(3)),
            5000);
    assertEquals(a, b);
  }

  @Test
  void hugeWeightsDoNotOverflow() {
    int n = 20_000;
    Map<String, Integer> counts =
        counts(
            draw(createMixer(factory, "sources { vecap = 1e308, text = 1e308 }", context(1)), n));
    assertFrequencies(counts, Map.of("vecap", 0.5, "text", 0.5), n);
  }

  @Test
  void aSingleSourceIsAlwaysDrawn() {
    List<String> draws = draw(createMixer(factory, "sources { text = 3 }", context(1)), 1000);
    assertEquals(Map.of("text", 1000), counts(draws));
  }

  @Test
  void resumeContinuesTheExactStream() {
    for (int k : new int[] {0, 1, 777, 12_345}) {
      DataMixer original = createMixer(factory, MM1_MIX, context(11));
      draw(original, k);
      String state = original.saveState();
      assertEquals("weighted:" + k, state);

      DataMixer resumed = createMixer(factory, MM1_MIX, context(11));
      resumed.restoreState(state);
      assertEquals(draw(original, 1000), draw(resumed, 1000), "after " + k + " draws");
      assertEquals(original.saveState(), resumed.saveState());
    }
  }

  @Test
  void restoreCanRewind() {
    DataMixer mixer = createMixer(factory, MM1_MIX, context(11));
    List<String> first = draw(mixer, 500);
    mixer.restoreState("weighted:0");
    assertEquals(first, draw(mixer, 500));
  }

  @Test
  void restoreRejectsForeignAndMalformedStates() {
    DataMixer mixer = createMixer(factory, MM1_MIX, context(1));
    assertRejects(mixer, "batch-weighted:16", "saved by the 'batch-weighted' mixer", "'weighted'");
    assertRejects(mixer, "schedule:3", "saved by the 'schedule' mixer");
    assertRejects(mixer, "12", "malformed", "weighted:<examples drawn>");
    assertRejects(mixer, "weighted:", "malformed", "not a whole number");
    assertRejects(mixer, "weighted:abc", "malformed", "not a whole number");
    assertRejects(mixer, "weighted:-5", "malformed", "negative");
    assertRejects(mixer, "", "malformed");
    assertRejects(mixer, null, "no mixer state");
    // A rejected state leaves the position alone.
    assertEquals("weighted:0", mixer.saveState());
  }

  @Test
  void defaultsAskForSources() {
    assertInvalid(
        factory,
        "",
        "sources",
        "name at least one source, e.g. sources { captioned = 45, interleaved = 45, text = 10 }",
        "captioned, vecap, interleaved, text");
  }

  @Test
  void unknownSourceIsRejectedWithSuggestion() {
    assertInvalid(
        factory,
        "sources { captiond = 45, text = 10 }",
        "sources.captiond",
        "'captiond' is not a data source",
        "did you mean captioned?",
        "captioned, vecap, interleaved, text");
  }

  @Test
  void unknownSourceFarFromAllNamesHasNoSuggestion() {
    var e =
        assertInvalid(factory, "sources { wikipedia = 1 }", "sources.wikipedia", "Known sources");
    assertEquals(false, e.getMessage().contains("did you mean"));
  }

  @Test
  void negativeWeightIsRejected() {
    assertInvalid(
        factory, "sources { captioned = 45, text = -10 }", "sources.text", "negative", "-10");
  }

  @Test
  void zeroWeightIsRejected() {
    assertInvalid(
        factory,
        "sources { captioned = 45, vecap = 0 }",
        "sources.vecap",
        "a weight of 0 draws nothing from vecap; remove the entry instead");
  }

  @Test
  void infiniteWeightIsRejected() {
    assertInvalid(factory, "sources { captioned = 1e999 }", "sources.captioned", "finite");
  }

  @Test
  void nonNumericWeightIsRejected() {
    assertInvalid(factory, "sources { captioned = lots }", "sources.captioned", "a number");
  }
}
