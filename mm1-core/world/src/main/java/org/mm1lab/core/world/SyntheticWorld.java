package org.mm1lab.core.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;

/**
 * The built-in synthetic world, generated from a seed: the paper's four kinds of training data as
 * {@link DataSource}s and held-out evaluation sets.
 *
 * <p>Every item is a pure function of {@code (seed, stream, index)}; training sources, evaluation
 * sets and the in-context shots come from separate streams, so no evaluation image is a training
 * image (other than by a chance repeat of an identical random scene). Images are {@link
 * SceneImage}s, rendered only when decoded. Immutable and thread-safe.
 */
public final class SyntheticWorld {

  /** The training sources' names, in the order of the paper's data kinds. */
  public static final List<String> SOURCES = List.of("captioned", "vecap", "interleaved", "text");

  /** The evaluation tasks. */
  public static final List<String> TASKS = List.of("caption", "vqa", "text-core");

  /** The text-only tasks of {@code text-core}, in the order items cycle through them. */
  public static final List<String> TEXT_TASKS = List.of("count", "colour-fact", "next-in-sequence");

  /** VQA questions asked about each evaluation image. */
  public static final int QUESTIONS_PER_IMAGE = 3;

  private final long seed;
  private final WorldSettings settings;
  private final WorldSource captioned;
  private final WorldSource vecap;
  private final WorldSource interleaved;
  private final WorldSource text;

  /**
   * @param seed the world's seed: the same seed gives the same world on every machine
   * @param settings difficulty
   */
  public SyntheticWorld(long seed, WorldSettings settings) {
    this.seed = seed;
    this.settings = Objects.requireNonNull(settings, "settings");
    captioned = new WorldSource("captioned", this::captionedExample);
    vecap = new WorldSource("vecap", this::vecapExample);
    interleaved = new WorldSource("interleaved", this::interleavedExample);
    text = new WorldSource("text", this::textExample);
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The settings. */
  public WorldSettings settings() {
    return settings;
  }

  /** Images with alt-text-quality captions: short, partial, sometimes wrong. */
  public DataSource captioned() {
    return captioned;
  }

  /** Images with dense synthetic captions (VeCap-like): every shape and the written word. */
  public DataSource vecap() {
    return vecap;
  }

  /** Interleaved documents of several images with texts that refer to them, in one pattern. */
  public DataSource interleaved() {
    return interleaved;
  }

  /** Text-only documents: counting, patterns, sums, comparisons, colour facts. */
  public DataSource text() {
    return text;
  }

  /**
   * A training source by name.
   *
   * @param name one of {@link #SOURCES}
   * @throws IllegalArgumentException for another name, listing the valid ones
   */
  public DataSource source(String name) {
    return switch (name) {
      case "captioned" -> captioned;
      case "vecap" -> vecap;
      case "interleaved" -> interleaved;
      case "text" -> text;
      default ->
          throw new IllegalArgumentException(
              "the synthetic world has no source '" + name + "'; use one of " + SOURCES);
    };
  }

  /** All four training sources, in {@link #SOURCES} order. */
  public List<DataSource> sources() {
    return List.of(captioned, vecap, interleaved, text);
  }

  /**
   * The scene of a training image: the {@code captioned} and {@code vecap} examples at {@code
   * position} (for inspection and tests; the image of those examples is a {@link SceneImage} of
   * it).
   */
  public Scene trainingScene(String source, long position) {
    return switch (source) {
      case "captioned" -> scene(Streams.mix(seed, Streams.CAPTIONED, position));
      case "vecap" -> scene(Streams.mix(seed, Streams.VECAP, position));
      default ->
          throw new IllegalArgumentException(
              "single-image sources are captioned and vecap, got '" + source + "'");
    };
  }

  /**
   * The held-out evaluation set of a task: the first {@code count} items (a larger count extends a
   * smaller one).
   *
   * <ul>
   *   <li>{@code caption}: {@link EvalItem.Caption} with 5 reference captions per image;
   *   <li>{@code vqa}: {@link EvalItem.Vqa} with 10 answers each, {@value #QUESTIONS_PER_IMAGE}
   *       questions per image;
   *   <li>{@code text-core}: {@link EvalItem.TextTask}, cycling through {@link #TEXT_TASKS}.
   * </ul>
   *
   * @throws IllegalArgumentException for an unknown task or a negative count
   */
  public List<EvalItem> evalSet(String task, int count) {
    return items(task, count, false);
  }

  /**
   * In-context examples for a task, from a stream disjoint from both the training sources and
   * {@link #evalSet}; same kinds of items as {@link #evalSet}.
   */
  public List<EvalItem> shotsSet(String task, int count) {
    return items(task, count, true);
  }

  private List<EvalItem> items(String task, int count, boolean shots) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    String split = shots ? "shots" : "eval";
    List<EvalItem> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = "world-" + split + "/" + task + "/" + i;
      out.add(
          switch (task) {
            case "caption" ->
                captionItem(id, shots ? Streams.SHOTS_CAPTION : Streams.EVAL_CAPTION, i);
            case "vqa" -> vqaItem(id, shots ? Streams.SHOTS_VQA : Streams.EVAL_VQA, i);
            case "text-core" -> textItem(id, shots ? Streams.SHOTS_TEXT : Streams.EVAL_TEXT, i);
            default ->
                throw new IllegalArgumentException(
                    "the synthetic world has no evaluation task '"
                        + task
                        + "'; use one of "
                        + TASKS);
          });
    }
    return out;
  }

  private SceneImage image(Scene scene) {
    return new SceneImage(scene, settings.renderSize());
  }

  private Scene scene(long itemSeed) {
    return Scene.sample(Streams.part(itemSeed, 0), settings);
  }

  private Example captionedExample(long i) {
    long itemSeed = Streams.mix(seed, Streams.CAPTIONED, i);
    Scene scene = scene(itemSeed);
    return new Example.Captioned(
        "captioned-" + i,
        image(scene),
        Captions.altText(Streams.part(itemSeed, 1), scene, settings));
  }

  private Example vecapExample(long i) {
    long itemSeed = Streams.mix(seed, Streams.VECAP, i);
    Scene scene = scene(itemSeed);
    return new Example.Captioned(
        "vecap-" + i, image(scene), Captions.dense(Streams.part(itemSeed, 1), scene));
  }

  private Example interleavedExample(long i) {
    return Documents.interleaved(
        "interleaved-" + i, Streams.mix(seed, Streams.INTERLEAVED, i), settings);
  }

  private Example textExample(long i) {
    return Documents.text("text-" + i, Streams.random(seed, Streams.TEXT, i));
  }

  private EvalItem captionItem(String id, int stream, long i) {
    long itemSeed = Streams.mix(seed, stream, i);
    Scene scene = scene(itemSeed);
    return new EvalItem.Caption(
        id, image(scene), Captions.references(Streams.part(itemSeed, 1), scene));
  }

  private EvalItem vqaItem(String id, int stream, long i) {
    long itemSeed = Streams.mix(seed, stream, i / QUESTIONS_PER_IMAGE);
    Scene scene = scene(itemSeed);
    List<VqaWriter.Question> questions = VqaWriter.questions(Streams.part(itemSeed, 1), scene);
    int slot = (int) (i % QUESTIONS_PER_IMAGE);
    VqaWriter.Question q = questions.get(slot);
    List<String> answers =
        VqaWriter.answers(Streams.part(itemSeed, 2 + slot), q, settings.annotatorError());
    return new EvalItem.Vqa(id, image(scene), q.text(), answers, q.kind());
  }

  private EvalItem textItem(String id, int stream, long i) {
    SplittableRandom rng = Streams.random(seed, stream, i);
    String task = TEXT_TASKS.get((int) (i % TEXT_TASKS.size()));
    String[] pair =
        switch (task) {
          case "count" -> Documents.sum(rng);
          case "colour-fact" ->
              Documents.COLOUR_FACTS.get(rng.nextInt(Documents.COLOUR_FACTS.size()));
          default -> rng.nextBoolean() ? Documents.pattern(rng) : Documents.countingSequence(rng);
        };
    return new EvalItem.TextTask(id, task, pair[0], pair[1]);
  }
}
