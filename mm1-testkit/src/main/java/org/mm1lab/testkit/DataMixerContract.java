package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.Family;
import org.mm1lab.api.MixerContext;

/**
 * The contract of a {@link DataMixer}: it names only the run's sources; its stream is a pure
 * function of the seed and options; {@code restoreState(saveState())} on a fresh mixer continues
 * the exact stream; a state it did not write is an {@link IllegalArgumentException}. Plus the
 * option contracts every component owes.
 *
 * <pre>{@code
 * class MyMixerContractTest extends DataMixerContract {
 *   protected DataMixerFactory factory() { return new MyMixerFactory(); }
 *   protected String options() { return "sources { captioned = 45, interleaved = 45, text = 10 }"; }
 *   protected List<BadOption> badOptions() { return List.of(BadOption.of("sources.text", "-1")); }
 * }
 * }</pre>
 */
public abstract class DataMixerContract extends ComponentContract<DataMixer, MixerContext> {

  /** Draws per stream the tests compare. */
  private static final int DRAWS = 500;

  /** For subclasses. */
  protected DataMixerContract() {}

  @Override
  protected abstract DataMixerFactory factory();

  @Override
  protected final Family family() {
    return Family.MIXER;
  }

  /** The source names of the run; {@link #options()} must weigh them. */
  protected List<String> sourceNames() {
    return List.of("captioned", "interleaved", "text");
  }

  /** Contexts the stream tests run in: batch sizes 1 and 4, two seeds. */
  protected List<MixerContext> contexts() {
    return List.of(
        new MixerContext(SEED, sourceNames(), 1),
        new MixerContext(SEED, sourceNames(), 4),
        new MixerContext(SEED + 1, sourceNames(), 4));
  }

  @Override
  protected MixerContext context() {
    return contexts().get(0);
  }

  private static List<String> draw(DataMixer mixer, int count) {
    List<String> drawn = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      drawn.add(mixer.nextSource());
    }
    return drawn;
  }

  @Test
  public void drawsOnlyTheRunsSources() {
    for (MixerContext context : contexts()) {
      for (String source : draw(create(context), DRAWS)) {
        assertTrue(
            context.sourceNames().contains(source),
            "drew '" + source + "', not one of " + context.sourceNames());
      }
    }
  }

  @Test
  public void theSameSeedGivesTheSameStream() {
    for (MixerContext context : contexts()) {
      assertEquals(
          draw(create(context), DRAWS), draw(create(context), DRAWS), "two mixers, one " + context);
    }
  }

  @Test
  public void aRestoredStateContinuesTheExactStream() {
    for (MixerContext context : contexts()) {
      for (int position : List.of(0, 1, 37)) {
        DataMixer original = create(context);
        draw(original, position);
        String state = original.saveState();
        List<String> expected = draw(original, DRAWS);
        DataMixer restored = create(context);
        draw(restored, 11); // elsewhere in the stream: restoring must move it, not just start it
        restored.restoreState(state);
        assertEquals(expected, draw(restored, DRAWS), "restored at position " + position);
      }
    }
  }

  @Test
  public void aStateItDidNotWriteIsRefused() {
    DataMixer mixer = create(context());
    assertThrows(IllegalArgumentException.class, () -> mixer.restoreState("not a mixer state"));
  }
}
