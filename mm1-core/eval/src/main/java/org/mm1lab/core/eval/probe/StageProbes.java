package org.mm1lab.core.eval.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.world.Scene;
import org.mm1lab.core.world.SceneImage;
import org.mm1lab.core.world.WorldSettings;
import org.mm1lab.core.world.WrittenWord;

/**
 * Linear probes of what a trained model's image path carries, stage by stage: the encoder's patch
 * features and the connector's image tokens, each read two ways (averaged over positions, and all
 * positions side by side), for the properties the world's questions ask about.
 *
 * <p>The probe scenes come from the run's own world settings, restricted so that each label is
 * unambiguous: one shape and no word for its shape, colour, size and position; one shape and a
 * listed word for the word. They are drawn from their own random stream, never the training one.
 * Averaged features keep what is in the image but not where; side-by-side features keep where, at
 * the cost of many more weights to fit, so the two readings bracket what the stage makes available.
 * A third reading takes the encoder's feature of the one patch under the shape's (or the word's)
 * centre: what the encoder says about the thing itself, undiluted by the background.
 */
public final class StageProbes {

  /** What a probe predicts. */
  public enum Target {
    SHAPE("shape"),
    COLOUR("colour"),
    SIZE("size"),
    POSITION("position"),
    WORD("word");

    private final String label;

    Target(String label) {
      this.label = label;
    }

    /** The name in tables. */
    public String label() {
      return label;
    }
  }

  /** One probed reading of one stage. */
  public enum Reading {
    ENCODER_MEAN("encoder, mean"),
    ENCODER_AT("encoder, at it"),
    ENCODER_ALL("encoder, all"),
    CONNECTOR_MEAN("connector, mean"),
    CONNECTOR_ALL("connector, all");

    private final String label;

    Reading(String label) {
      this.label = label;
    }

    /** The name in tables. */
    public String label() {
      return label;
    }
  }

  /**
   * One target's results.
   *
   * @param target what was predicted
   * @param classes the number of distinct labels
   * @param prior held-out accuracy of always answering the fitting split's most common label
   * @param accuracy held-out accuracy per reading
   */
  public record Row(Target target, int classes, double prior, Map<Reading, Double> accuracy) {}

  private static final int BATCH = 64;

  private final Components components;
  private final ParameterStore parameterStore;
  private final ImagePreprocessor preprocessor;
  private final WorldSettings world;
  private final NDManager manager;
  private final LinearProbe probe;

  /**
   * @param components the trained model's components, their parameters loaded
   * @param preprocessor the run's pixel normalisation at the encoder's size
   * @param world the run's world settings
   * @param manager where the features live while probed
   * @param probe the probe to fit
   */
  public StageProbes(
      Components components,
      ImagePreprocessor preprocessor,
      WorldSettings world,
      NDManager manager,
      LinearProbe probe) {
    this.components = components;
    this.parameterStore = new ParameterStore(manager, false);
    this.preprocessor = preprocessor;
    this.world = world;
    this.manager = manager;
    this.probe = probe;
  }

  /**
   * Probes every target and reading.
   *
   * @param fitItems scenes to fit each probe on
   * @param testItems held-out scenes to score it on
   * @param seed the probe scenes' random stream
   */
  public List<Row> run(int fitItems, int testItems, long seed) {
    if (fitItems < 1 || testItems < 1) {
      throw new IllegalArgumentException("fitItems and testItems must be positive");
    }
    int total = fitItems + testItems;
    SplittableRandom rng = new SplittableRandom(seed);
    List<Scene> objects = scenes(rng, world.withObjects(1, 1).withWordProbability(0), total, false);
    List<Scene> words = scenes(rng, world.withObjects(1, 1).withWordProbability(1), total, true);
    List<Row> rows = new ArrayList<>();
    try (NDManager scope = manager.newSubManager()) {
      Map<Reading, NDArray> objectFeatures = features(objects, scope);
      Map<Reading, NDArray> wordFeatures = features(words, scope);
      for (Target target : Target.values()) {
        List<Scene> set = target == Target.WORD ? words : objects;
        Map<Reading, NDArray> features = target == Target.WORD ? wordFeatures : objectFeatures;
        List<String> names = set.stream().map(labeller(target)).toList();
        rows.add(probeTarget(target, names, features, fitItems, total));
      }
    }
    return rows;
  }

  private Row probeTarget(
      Target target, List<String> names, Map<Reading, NDArray> features, int fit, int total) {
    Map<String, Integer> index = new LinkedHashMap<>();
    names.forEach(n -> index.putIfAbsent(n, index.size()));
    int[] labels = names.stream().mapToInt(index::get).toArray();
    int[] fitLabels = Arrays.copyOfRange(labels, 0, fit);
    int[] testLabels = Arrays.copyOfRange(labels, fit, total);
    int[] counts = new int[index.size()];
    for (int l : fitLabels) {
      counts[l]++;
    }
    int majority = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[majority]) {
        majority = c;
      }
    }
    int priorRight = 0;
    for (int l : testLabels) {
      if (l == majority) {
        priorRight++;
      }
    }
    Map<Reading, Double> accuracy = new LinkedHashMap<>();
    for (Reading reading : Reading.values()) {
      NDArray all = features.get(reading);
      try (NDScope split = new NDScope()) {
        NDArray fitX = all.get("0:" + fit);
        NDArray testX = all.get(fit + ":" + total);
        accuracy.put(
            reading, probe.fit(fitX, fitLabels, testX, testLabels, index.size()).heldOut());
      }
    }
    return new Row(target, index.size(), (double) priorRight / testLabels.length, accuracy);
  }

  private static Function<Scene, String> labeller(Target target) {
    return switch (target) {
      case SHAPE -> s -> s.objects().get(0).shape().word();
      case COLOUR -> s -> s.objects().get(0).colour().word();
      case SIZE -> s -> s.objects().get(0).sizeWord();
      case POSITION -> s -> s.objects().get(0).position();
      case WORD -> s -> s.wordText().orElseThrow();
    };
  }

  /** Scenes from {@code settings}; with {@code listedWord}, only those showing a listed word. */
  private static List<Scene> scenes(
      SplittableRandom rng, WorldSettings settings, int count, boolean listedWord) {
    List<Scene> scenes = new ArrayList<>(count);
    List<String> listed = Scene.listedWords();
    while (scenes.size() < count) {
      Scene scene = Scene.sample(rng, settings);
      if (!listedWord || scene.wordText().filter(listed::contains).isPresent()) {
        scenes.add(scene);
      }
    }
    return scenes;
  }

  /** Every reading's features {@code (N, D)} for the scenes, owned by {@code scope}. */
  private Map<Reading, NDArray> features(List<Scene> scenes, NDManager scope) {
    Map<Reading, NDList> parts = new LinkedHashMap<>();
    for (Reading r : Reading.values()) {
      parts.put(r, new NDList());
    }
    int size = preprocessor.size();
    for (int start = 0; start < scenes.size(); start += BATCH) {
      List<Scene> batch = scenes.subList(start, Math.min(scenes.size(), start + BATCH));
      // the components' temporaries (some join their parameters' manager) are freed per batch
      try (NDScope arrays = new NDScope()) {
        float[] pixels = new float[batch.size() * preprocessor.floatsPerImage()];
        for (int i = 0; i < batch.size(); i++) {
          preprocessor.process(
              new SceneImage(batch.get(i), world.renderSizeFor(size)).decode(size),
              pixels,
              i * preprocessor.floatsPerImage());
        }
        NDArray input = scope.create(pixels, new Shape(batch.size(), 3, size, size));
        NDArray encoded = components.encoder().encode(parameterStore, input, false);
        NDArray tokens = components.connector().connect(parameterStore, encoded, false);
        keep(parts.get(Reading.ENCODER_MEAN), encoded.mean(new int[] {1}), scope);
        keep(parts.get(Reading.ENCODER_AT), atCentres(encoded, batch), scope);
        keep(parts.get(Reading.ENCODER_ALL), encoded.reshape(batch.size(), -1), scope);
        keep(parts.get(Reading.CONNECTOR_MEAN), tokens.mean(new int[] {1}), scope);
        keep(parts.get(Reading.CONNECTOR_ALL), tokens.reshape(batch.size(), -1), scope);
      }
    }
    Map<Reading, NDArray> out = new LinkedHashMap<>();
    parts.forEach((r, list) -> out.put(r, keep(scope, NDArrays.concat(list, 0))));
    return out;
  }

  /** Each scene's patch feature {@code (B, D)} under its word's centre, or its first shape's. */
  private NDArray atCentres(NDArray encoded, List<Scene> batch) {
    PatchGrid grid = components.encoder().outputGrid();
    long[] rows = new long[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Scene scene = batch.get(i);
      double x;
      double y;
      if (scene.word().isPresent()) {
        WrittenWord w = scene.word().get();
        x = w.left() + w.width() / 2;
        y = w.top() + w.height() / 2;
      } else {
        x = scene.objects().get(0).centerX();
        y = scene.objects().get(0).centerY();
      }
      int column = Math.min(grid.width() - 1, (int) (x * grid.width()));
      int row = Math.min(grid.height() - 1, (int) (y * grid.height()));
      rows[i] = (long) i * grid.patches() + (long) row * grid.width() + column;
    }
    NDArray flat = encoded.reshape(-1, encoded.getShape().get(2));
    return flat.get(encoded.getManager().create(rows));
  }

  private static void keep(NDList into, NDArray array, NDManager scope) {
    into.add(keep(scope, array.duplicate()));
  }

  private static NDArray keep(NDManager scope, NDArray array) {
    array.attach(scope);
    NDScope.unregister(array);
    return array;
  }
}
