package org.mm1lab.plugins.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mm1lab.plugins.data.MixerTesting.assertInvalid;
import static org.mm1lab.plugins.data.MixerTesting.assertRejects;
import static org.mm1lab.plugins.data.MixerTesting.context;
import static org.mm1lab.plugins.data.MixerTesting.createMixer;
import static org.mm1lab.plugins.data.MixerTesting.draw;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DataMixer;

class ScheduleMixerTest {

  private static final String ORDER = "order = [captioned, captioned, interleaved, text]";
  private final ScheduleMixerFactory factory = new ScheduleMixerFactory();

  @Test
  void cyclesTheOrderExampleByExample() {
    assertEquals(
        List.of(
            "captioned",
            "captioned",
            "interleaved",
            "text",
            "captioned",
            "captioned",
            "interleaved",
            "text",
            "captioned",
            "captioned"),
        draw(createMixer(factory, ORDER, context(7)), 10));
  }

  @Test
  void seedDoesNotMatter() {
    assertEquals(
        draw(createMixer(factory, ORDER, context(1)), 100),
        draw(createMixer(factory, ORDER, context(2)), 100));
  }

  @Test
  void resumeContinuesTheExactStream() {
    for (int k : new int[] {0, 3, 1001}) {
      DataMixer original = createMixer(factory, ORDER, context(7));
      draw(original, k);
      DataMixer resumed = createMixer(factory, ORDER, context(7));
      resumed.restoreState(original.saveState());
      assertEquals("schedule:" + k, resumed.saveState());
      assertEquals(draw(original, 1000), draw(resumed, 1000));
    }
  }

  @Test
  void restoreRejectsForeignAndMalformedStates() {
    DataMixer mixer = createMixer(factory, ORDER, context(7));
    assertRejects(mixer, "weighted:4", "saved by the 'weighted' mixer", "'schedule'");
    assertRejects(mixer, "schedule:four", "malformed");
  }

  @Test
  void defaultsAskForAnOrder() {
    assertInvalid(
        factory,
        "",
        "order",
        "list at least one source, e.g. order = [captioned, captioned, interleaved, text]");
  }

  @Test
  void unknownSourceIsRejectedWithSuggestion() {
    assertInvalid(
        factory,
        "order = [captioned, txt]",
        "order",
        "'txt' is not a data source",
        "did you mean text?",
        "captioned, vecap, interleaved, text");
  }
}
