package org.mm1lab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.world.SyntheticWorld;
import org.mm1lab.core.world.WorldSettings;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * The run's data settings ({@code mm1.data}, the mixer aside), read and validated on construction:
 * the sources, the tokenizer, the pipeline's sizes, pixel normalisation and the synthetic world's
 * difficulty.
 */
public final class DataSettings {

  /** The formats a source may have, and the keys each takes besides {@code format}. */
  static final Map<String, Set<String>> FORMATS =
      new java.util.TreeMap<>(
          Map.of(
              "world", Set.of("kind"),
              "webdataset", Set.of("path"),
              "jsonl-interleaved", Set.of("path"),
              "jsonl-text", Set.of("path"),
              "obelics", Set.of("path"),
              "mmc4", new java.util.TreeSet<>(Set.of("path", "images")),
              "karpathy", new java.util.TreeSet<>(Set.of("path", "images", "split")),
              "coco", new java.util.TreeSet<>(Set.of("annotations", "images"))));

  private final Map<String, SourceSpec> sources;
  private final String tokenizer;
  private final double maxBadFraction;
  private final int workers;
  private final int prefetch;
  private final boolean packing;
  private final float[] mean;
  private final float[] std;
  private final WorldSettings world;
  private final long worldSeed;

  /**
   * Reads {@code mm1.data}.
   *
   * @throws UserException naming the bad value's path and origin
   */
  public DataSettings(RunConfig config) {
    ConfigOptions data = new ConfigOptions("mm1.data", config.config().getConfig("mm1.data"));
    try {
      tokenizer = data.getString("tokenizer");
      maxBadFraction = data.getDouble("max-bad-fraction");
      if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
        throw data.invalid("max-bad-fraction", "must be between 0 and 1, got " + maxBadFraction);
      }
      workers = data.getInt("workers", 1, 256);
      prefetch = data.getInt("prefetch", 1, 1024);
      packing = data.getBoolean("packing");
      mean = floats(data, "image.mean");
      std = floats(data, "image.std");
      for (float s : std) {
        if (!(s > 0)) {
          throw data.invalid("image.std", "standard deviations must be positive, got " + s);
        }
      }
      world = world(data);
      worldSeed = data.getLong("world.seed");
      sources = sources(config.config(), data);
    } catch (InvalidOptionException e) {
      throw new UserException(ConfigErrors.describe(data, e), e);
    }
    if (!tokenizer.equals("world") && !Files.isRegularFile(Path.of(tokenizer))) {
      throw new UserException(
          "mm1.data.tokenizer"
              + origin(config.config(), "mm1.data.tokenizer")
              + ": '"
              + tokenizer
              + "' is neither world nor an existing tokenizer.json file");
    }
  }

  private static String origin(Config config, String path) {
    return " (" + org.mm1lab.core.config.Origins.describe(config.getValue(path).origin()) + ")";
  }

  private static float[] floats(ConfigOptions data, String key) {
    List<Double> values = data.getDoubleList(key);
    if (values.size() != 3) {
      throw data.invalid(key, "needs 3 values (R, G, B), got " + values.size());
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  private static WorldSettings world(ConfigOptions data) {
    int renderSize = renderSize(data);
    int minObjects = data.getInt("world.min-objects");
    int maxObjects = data.getInt("world.max-objects");
    double minSize = data.getDouble("world.min-object-size");
    double maxSize = data.getDouble("world.max-object-size");
    double minText = data.getDouble("world.min-text-size");
    double maxText = data.getDouble("world.max-text-size");
    double wordProbability = data.getDouble("world.word-probability");
    double altTextNoise = data.getDouble("world.alt-text-noise");
    int minImages = data.getInt("world.min-document-images");
    int maxImages = data.getInt("world.max-document-images");
    double annotatorError = data.getDouble("world.annotator-error");
    try {
      return new WorldSettings(
          renderSize,
          minObjects,
          maxObjects,
          minSize,
          maxSize,
          minText,
          maxText,
          wordProbability,
          altTextNoise,
          minImages,
          maxImages,
          annotatorError);
    } catch (IllegalArgumentException e) {
      // WorldSettings starts its message with the offending key ("max-objects must be ...").
      String first = e.getMessage().split(" ", 2)[0];
      String key = data.has("world." + first) ? "world." + first : "world";
      throw new InvalidOptionException(key, e.getMessage());
    }
  }

  /** {@code auto} (the encoder's size) or a number of pixels. */
  private static int renderSize(ConfigOptions data) {
    String key = "world.render-size";
    String text = data.getString(key).trim();
    if (text.equals("auto")) {
      return WorldSettings.AT_CONSUMER_SIZE;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw data.invalid(
          key, "must be auto (the encoder's size) or a number of pixels, got '" + text + "'");
    }
  }

  private static Map<String, SourceSpec> sources(Config config, ConfigOptions data) {
    Map<String, SourceSpec> specs = new LinkedHashMap<>();
    Config section = config.getConfig("mm1.data.sources");
    if (section.root().isEmpty()) {
      for (String kind : SyntheticWorld.SOURCES) {
        specs.put(kind, new SourceSpec(kind, "world", Map.of("kind", kind)));
      }
      return specs;
    }
    for (Map.Entry<String, ConfigValue> entry :
        new java.util.TreeMap<>(section.root()).entrySet()) {
      String name = entry.getKey();
      String key = "sources." + name;
      if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
        throw data.invalid(key, "expected a section { format = ..., ... }");
      }
      ConfigOptions source = new ConfigOptions("mm1.data." + key, section.getConfig(quote(name)));
      if (!source.has("format")) {
        throw data.invalid(key, "needs format = one of " + String.join(", ", FORMATS.keySet()));
      }
      String format = source.getString("format");
      Set<String> allowed = FORMATS.get(format);
      if (allowed == null) {
        String hint =
            Suggestions.closest(format, FORMATS.keySet())
                .map(s -> "; did you mean " + s + "?")
                .orElse("");
        throw data.invalid(
            key + ".format",
            "unknown format '"
                + format
                + "'; known: "
                + String.join(", ", FORMATS.keySet())
                + hint);
      }
      Map<String, String> values = new LinkedHashMap<>();
      List<String> paths = List.of();
      for (String option : source.keys()) {
        if (option.equals("format")) {
          continue;
        }
        if (!allowed.contains(option)) {
          String hint =
              Suggestions.closest(option, allowed).map(s -> "; did you mean " + s + "?").orElse("");
          throw data.invalid(
              key + "." + option,
              "format "
                  + format
                  + " takes no option '"
                  + option
                  + "'"
                  + hint
                  + "; it takes: "
                  + String.join(", ", allowed));
        }
        if (option.equals("path")
            && source.config().getValue("path").valueType() == ConfigValueType.LIST) {
          // WebDataset users list shards and folders: path = [a.tar, "b-{0000..0009}.tar", dir]
          paths = source.getStringList("path");
          if (paths.isEmpty()) {
            throw data.invalid(key + ".path", "is an empty list; name at least one file or folder");
          }
          values.put(option, String.join(", ", paths));
        } else {
          values.put(option, source.getString(option));
          if (option.equals("path")) {
            paths = List.of(values.get(option));
          }
        }
      }
      for (String required : allowed) {
        if (!values.containsKey(required)) {
          throw data.invalid(key, "format " + format + " needs " + required + " = ...");
        }
      }
      if (format.equals("world") && !SyntheticWorld.SOURCES.contains(values.get("kind"))) {
        throw data.invalid(
            key + ".kind",
            "'"
                + values.get("kind")
                + "' is not one of "
                + String.join(", ", SyntheticWorld.SOURCES));
      }
      specs.put(name, new SourceSpec(name, format, values, paths));
    }
    return specs;
  }

  private static String quote(String key) {
    return com.typesafe.config.ConfigUtil.quoteString(key);
  }

  /** The sources by name, sorted by name (the world's defaults in their usual order). */
  public Map<String, SourceSpec> sources() {
    return sources;
  }

  /** The names of the sources, for the mixer. */
  public List<String> sourceNames() {
    return new ArrayList<>(sources.keySet());
  }

  /** {@code world}, or the path of a tokenizer.json. */
  public String tokenizer() {
    return tokenizer;
  }

  /** The tolerated share of unreadable records or images. */
  public double maxBadFraction() {
    return maxBadFraction;
  }

  /** Image decoding threads. */
  public int workers() {
    return workers;
  }

  /** Batches kept ready. */
  public int prefetch() {
    return prefetch;
  }

  /** Whether rows hold several examples. */
  public boolean packing() {
    return packing;
  }

  /** Per-channel pixel means. */
  public float[] mean() {
    return mean.clone();
  }

  /** Per-channel pixel standard deviations. */
  public float[] std() {
    return std.clone();
  }

  /** The synthetic world's seed. */
  public long worldSeed() {
    return worldSeed;
  }

  /** The synthetic world's settings. */
  public WorldSettings world() {
    return world;
  }

  /**
   * One data source as configured.
   *
   * @param name its name in the run
   * @param format world, webdataset, jsonl-interleaved, jsonl-text, obelics, mmc4, karpathy or coco
   * @param options the format's options (paths, the world's kind)
   * @param paths the entries of the path option: one for a string, the list for a list (files,
   *     folders or brace patterns); empty for a format without that option
   */
  public record SourceSpec(
      String name, String format, Map<String, String> options, List<String> paths) {
    public SourceSpec {
      options = Map.copyOf(options);
      paths = List.copyOf(paths);
    }

    /** A source whose path option, if any, is one string. */
    public SourceSpec(String name, String format, Map<String, String> options) {
      this(
          name,
          format,
          options,
          options.containsKey("path") ? List.of(options.get("path")) : List.of());
    }
  }
}
