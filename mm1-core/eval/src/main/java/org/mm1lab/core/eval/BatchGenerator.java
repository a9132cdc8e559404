package org.mm1lab.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.train.MultimodalModel;

/**
 * Generation for a batch of prompts on the assembled model: prompts padded on the left (so every
 * row's last prompt token sits in the last column and new tokens follow it directly), images
 * through the encoder and connector into their slots, then {@link GreedyGenerator} (greedy unless a
 * {@link Sampling} says otherwise) with the decoder's key/value cache until {@code <eos>},
 * end-of-chunk or the token limit.
 *
 * <p>Every array of a batch is freed when the batch is done (a sub-manager and an {@link NDScope}),
 * so memory stays flat over any number of batches. Not thread-safe.
 */
public final class BatchGenerator implements Generator {

  private final Components components;
  private final Tokenizer tokenizer;
  private final ImagePreprocessor preprocessor;
  private final NDManager manager;
  private final ParameterStore parameterStore;

  /**
   * @param model the model, initialised (and loaded)
   * @param tokenizer the run's tokenizer: padding, end tokens, and ids to text
   * @param preprocessor images to the encoder's input
   * @param manager on the model's device; each batch's arrays live in a sub-manager of it
   */
  public BatchGenerator(
      MultimodalModel model,
      Tokenizer tokenizer,
      ImagePreprocessor preprocessor,
      NDManager manager) {
    this.components = model.components();
    this.tokenizer = tokenizer;
    this.preprocessor = preprocessor;
    this.manager = manager;
    this.parameterStore = new ParameterStore(manager, false);
  }

  @Override
  public List<String> generate(List<Prompt> prompts, int maxNewTokens) {
    List<String> out = new ArrayList<>(prompts.size());
    for (int[] ids : generateIds(prompts, maxNewTokens)) {
      out.add(tokenizer.decode(ids).strip());
    }
    return out;
  }

  /**
   * Generates token ids greedily.
   *
   * @return per prompt, the ids generated before the first end token (which is left out)
   */
  public List<int[]> generateIds(List<Prompt> prompts, int maxNewTokens) {
    return generateIds(prompts, maxNewTokens, Sampling.GREEDY);
  }

  /**
   * Generates token ids, each chosen as {@code sampling} says.
   *
   * @return per prompt, the ids generated before the first end token (which is left out)
   */
  public List<int[]> generateIds(List<Prompt> prompts, int maxNewTokens, Sampling sampling) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    int rows = prompts.size();
    int length = prompts.stream().mapToInt(Prompt::length).max().orElseThrow();
    int[] tokens = new int[rows * length];
    int[] mask = new int[rows * length];
    int[] slots = new int[rows * length];
    Arrays.fill(tokens, tokenizer.padId());
    List<ImageSource> images = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      Prompt prompt = prompts.get(r);
      int offset = r * length + length - prompt.length(); // left padding
      for (int i = 0; i < prompt.length(); i++) {
        tokens[offset + i] = prompt.tokens()[i];
        mask[offset + i] = 1;
        slots[offset + i] = prompt.imageSlots()[i] ? 1 : 0;
      }
      // row-major slot order: row by row, each row's images left to right
      images.addAll(prompt.images());
    }
    long end = tokenizer.eosId();
    long chunkEnd = tokenizer.endOfChunkId();
    // The sub-manager owns what this class creates; the NDScope also catches what the components
    // create from their parameters (an op's result joins its first operand's manager, and an
    // embedding lookup's first operand is a parameter), which would otherwise pile up.
    try (NDManager scope = manager.newSubManager();
        NDScope arrays = new NDScope()) {
      Shape shape = new Shape(rows, length);
      NDArray tokenArray = scope.create(tokens, shape);
      NDArray maskArray = scope.create(mask, shape);
      DecoderInput input;
      if (images.isEmpty()) {
        input = DecoderInput.text(tokenArray, maskArray);
      } else {
        NDArray pixels = pixels(images, scope);
        NDArray features = components.encoder().encode(parameterStore, pixels, false);
        NDArray imageTokens = components.connector().connect(parameterStore, features, false);
        input = new DecoderInput(tokenArray, maskArray, scope.create(slots, shape), imageTokens);
      }
      NDArray generated =
          new GreedyGenerator(components.decoder(), parameterStore, sampling)
              .generate(input, maxNewTokens, end, chunkEnd);
      int columns = Math.toIntExact(generated.getShape().get(1));
      long[] ids = generated.toLongArray();
      List<int[]> out = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        int n = 0;
        while (n < columns && ids[r * columns + n] != end && ids[r * columns + n] != chunkEnd) {
          n++;
        }
        int[] row = new int[n];
        for (int i = 0; i < n; i++) {
          row[i] = Math.toIntExact(ids[r * columns + i]);
        }
        out.add(row);
      }
      return out;
    }
  }

  @Override
  public int imageSide() {
    return preprocessor.size();
  }

  /** Decodes and preprocesses the images into {@code (M, 3, S, S)}. */
  private NDArray pixels(List<ImageSource> images, NDManager scope) {
    int size = preprocessor.size();
    float[] pixels = new float[images.size() * preprocessor.floatsPerImage()];
    for (int i = 0; i < images.size(); i++) {
      BufferedImage image;
      try {
        image = images.get(i).decode(size);
      } catch (IOException e) {
        throw new UserException("cannot read an evaluation image: " + e.getMessage(), e);
      }
      preprocessor.process(image, pixels, i * preprocessor.floatsPerImage());
    }
    return scope.create(pixels, new Shape(images.size(), 3, size, size));
  }
}
