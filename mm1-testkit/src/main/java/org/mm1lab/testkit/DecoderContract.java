package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.api.Family;
import org.mm1lab.api.KeyValueCache;

/**
 * The contract of a {@link Decoder}: logits {@code (B, L, V)} for every position with {@code V =
 * vocabularySize()} covering the context's vocabulary; image tokens {@code (M, T, width())} fill
 * the image slots and reach the logits; attention is causal; decoding with a key/value cache gives
 * the logits of a full pass; auxiliary losses are scalars. Plus the option, gradient, seed and
 * save/load contracts every component owes.
 *
 * <pre>{@code
 * class MyDecoderContractTest extends DecoderContract {
 *   protected DecoderFactory factory() { return new MyDecoderFactory(); }
 *   protected String options() { return "width = 16, layers = 2, heads = 2"; }
 *   protected List<BadOption> badOptions() { return List.of(BadOption.of("heads", "5")); }
 * }
 * }</pre>
 */
public abstract class DecoderContract extends BlockContract<Decoder, DecoderContext> {

  /** Image tokens per image in the kit's batches. */
  private static final int IMAGE_TOKENS = 2;

  /** Tolerance of cached against full-pass logits, relative to the logits' scale. */
  private static final float CACHE_TOLERANCE = 1e-4f;

  /** For subclasses. */
  protected DecoderContract() {}

  @Override
  protected abstract DecoderFactory factory();

  @Override
  protected final Family family() {
    return Family.DECODER;
  }

  /** Vocabularies and maximum sequence lengths the decoder is built for. */
  protected List<DecoderContext> contexts() {
    return List.of(new DecoderContext(SEED, 11, 16), new DecoderContext(SEED, 37, 24));
  }

  @Override
  protected DecoderContext context() {
    return contexts().get(0);
  }

  /** The sequence length of the kit's batches for a context: up to 8 positions. */
  private static int length(DecoderContext context) {
    return Math.min(8, context.maxSequenceLength());
  }

  @Override
  final void initialize(Decoder decoder, NDManager manager) {
    Shape shape = new Shape(1, length(context()));
    decoder.initialize(manager, DataType.FLOAT32, shape, shape);
  }

  @Override
  final NDArray forward(
      Decoder decoder,
      NDManager manager,
      ParameterStore store,
      DataType inputType,
      boolean training) {
    DecoderInput input = Batch.of(manager, decoder, context(), 2, true).input();
    if (input.imageTokens() != null) {
      input =
          new DecoderInput(
              input.tokens(),
              input.attentionMask(),
              input.imageSlots(),
              input.imageTokens().toType(inputType, false));
    }
    return decoder.decode(store, input, null, training).logits();
  }

  @Test
  public void logitsCoverEveryPositionAndTheVocabulary() {
    for (DecoderContext context : contexts()) {
      try (NDManager manager = NDManager.newBaseManager()) {
        Decoder decoder = create(context);
        String where =
            "vocabulary "
                + context.vocabularySize()
                + ", max length "
                + context.maxSequenceLength();
        assertTrue(
            decoder.vocabularySize() >= context.vocabularySize(),
            where + ": vocabularySize() must cover the tokenizer's " + context.vocabularySize());
        assertTrue(decoder.width() > 0, where + ": width() must be positive");
        Shape shape = new Shape(1, length(context));
        decoder.initialize(manager, DataType.FLOAT32, shape, shape);
        for (int rows : List.of(1, 3)) {
          for (boolean images : List.of(false, true)) {
            Batch batch = Batch.of(manager, decoder, context, rows, images);
            DecoderOutput output =
                decoder.decode(new ParameterStore(manager, false), batch.input(), null, false);
            Blocks.assertShapeAndFinite(
                new Shape(rows, length(context), decoder.vocabularySize()),
                output.logits(),
                where + ", " + rows + " rows" + (images ? " with images" : ""));
            for (Map.Entry<String, NDArray> loss : output.auxiliaryLosses().entrySet()) {
              assertEquals(
                  1,
                  loss.getValue().size(),
                  "auxiliary loss " + loss.getKey() + " must be a scalar");
            }
          }
        }
      }
    }
  }

  @Test
  public void imageTokensReachTheLogits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Decoder decoder = initialized(manager, 1);
      Batch batch = Batch.of(manager, decoder, context(), 2, true);
      NDArray images = batch.input().imageTokens();
      images.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits =
            decoder.decode(new ParameterStore(manager, false), batch.input(), null, true).logits();
        collector.backward(logits.mul(Blocks.randomNormal(manager, logits.getShape(), 5)).sum());
      }
      NDArray perImage = images.getGradient().abs().sum(new int[] {1, 2});
      for (float sum : perImage.toFloatArray()) {
        assertTrue(sum > 0f, "the logits do not depend on an image's tokens");
      }
    }
  }

  @Test
  public void laterTokensDoNotChangeEarlierLogits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Decoder decoder = initialized(manager, 1);
      Batch batch = Batch.of(manager, decoder, context(), 2, false);
      ParameterStore store = new ParameterStore(manager, false);
      NDArray logits = decoder.decode(store, batch.input(), null, false).logits();
      int last = length(context()) - 1;
      NDArray changed = batch.input().tokens().duplicate();
      changed.set(new NDIndex(":, " + last), (last + 1) % context().vocabularySize());
      NDArray after =
          decoder
              .decode(store, DecoderInput.text(changed, batch.input().attentionMask()), null, false)
              .logits();
      Blocks.assertSameValues(
          logits.get(":, :" + last), after.get(":, :" + last), "logits before the changed token");
    }
  }

  @Test
  public void logitsAtListedPositionsAreThoseOfAFullPass() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Decoder decoder = initialized(manager, 1);
      Batch batch = Batch.of(manager, decoder, context(), 2, true);
      ParameterStore store = new ParameterStore(manager, false);
      int length = length(context());
      NDArray full =
          decoder
              .decode(store, batch.input(), null, false)
              .logits()
              .reshape(2L * length, decoder.vocabularySize());
      // some positions of each row, the first and the last included, as a trainer lists targets
      long[] listed = {0, length - 1, length, 2L * length - 2, 2L * length - 1};
      NDArray positions = manager.create(listed);
      NDArray logits =
          decoder.decode(store, batch.input().withLogitPositions(positions), null, false).logits();
      // a decoder may ignore the list and return every position; the listed rows must agree
      NDArray rows =
          logits.getShape().dimension() == 2
              ? logits
              : logits.reshape(2L * length, decoder.vocabularySize()).get(positions);
      assertClose(full.get(positions), rows, "logits at listed positions");
    }
  }

  @Test
  public void cachedDecodingGivesTheLogitsOfAFullPass() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Decoder decoder = initialized(manager, 1);
      Batch batch = Batch.of(manager, decoder, context(), 2, false);
      ParameterStore store = new ParameterStore(manager, false);
      NDArray full = decoder.decode(store, batch.input(), null, false).logits();
      int length = length(context());
      int prefix = Math.max(1, length - 3);
      NDArray tokens = batch.input().tokens();
      NDArray mask = batch.input().attentionMask();
      try (KeyValueCache cache = decoder.newCache(manager, 2)) {
        // each call in a scope of its own, as hosts run them: what the cache keeps must survive
        try (NDScope call = new NDScope()) {
          NDArray first =
              decoder
                  .decode(
                      store,
                      DecoderInput.text(tokens.get(":, :" + prefix), mask.get(":, :" + prefix)),
                      cache,
                      false)
                  .logits();
          assertClose(full.get(":, :" + prefix), first, "the cached prefix");
        }
        for (int position = prefix; position < length; position++) {
          try (NDScope call = new NDScope()) {
            String column = ":, " + position + ":" + (position + 1);
            NDArray step =
                decoder
                    .decode(
                        store,
                        DecoderInput.text(tokens.get(column), mask.get(column)),
                        cache,
                        false)
                    .logits();
            assertClose(full.get(column), step, "position " + position + " decoded with the cache");
          }
        }
        assertEquals(length, cache.length(), "cache length after decoding every position");
      }
    }
  }

  private static void assertClose(NDArray expected, NDArray actual, String what) {
    assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    float scale = 1f + expected.abs().max().getFloat();
    float difference = expected.sub(actual).abs().max().getFloat();
    assertTrue(
        difference <= CACHE_TOLERANCE * scale,
        what + ": logits differ from the full pass by " + difference);
  }

  /** A batch of token ids, all real (no padding), optionally with one image per row. */
  private record Batch(DecoderInput input) {

    static Batch of(
        NDManager manager, Decoder decoder, DecoderContext context, int rows, boolean images) {
      int length = length(context);
      Random random = new Random(17);
      int[] tokens = new int[rows * length];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = random.nextInt(context.vocabularySize());
      }
      Shape shape = new Shape(rows, length);
      NDArray ids = manager.create(tokens, shape);
      NDArray mask = manager.ones(shape, DataType.INT32);
      if (!images || length < IMAGE_TOKENS + 1) {
        return new Batch(DecoderInput.text(ids, mask));
      }
      // One image per row, its slots right after the first token.
      int[] slots = new int[rows * length];
      for (int row = 0; row < rows; row++) {
        for (int t = 0; t < IMAGE_TOKENS; t++) {
          slots[row * length + 1 + t] = 1;
        }
      }
      NDArray imageTokens =
          Blocks.randomNormal(manager, new Shape(rows, IMAGE_TOKENS, decoder.width()), 19);
      return new Batch(new DecoderInput(ids, mask, manager.create(slots, shape), imageTokens));
    }
  }
}
