package org.mm1lab.core.sources;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.formats.CocoCaptionSource;
import org.mm1lab.core.data.formats.InterleavedJsonlSource;
import org.mm1lab.core.data.formats.KarpathySplitSource;
import org.mm1lab.core.data.formats.Mmc4Source;
import org.mm1lab.core.data.formats.ObelicsSource;
import org.mm1lab.core.data.formats.ShardPaths;
import org.mm1lab.core.data.formats.TextJsonlSource;
import org.mm1lab.core.data.formats.WebDatasetSource;
import org.mm1lab.core.world.SyntheticWorld;

/**
 * Opens the run's configured data sources: the synthetic world in memory, or readers over files.
 * Relative paths are resolved against the working directory.
 */
public final class DataSources {

  private DataSources() {}

  /** The synthetic world the settings describe. */
  public static SyntheticWorld world(DataSettings settings) {
    return new SyntheticWorld(settings.worldSeed(), settings.world());
  }

  /**
   * Every configured source, by name.
   *
   * @throws org.mm1lab.core.UserException for a path that does not exist
   */
  public static Map<String, DataSource> open(DataSettings settings) {
    Map<String, DataSource> sources = new LinkedHashMap<>();
    SyntheticWorld world = null;
    for (DataSettings.SourceSpec spec : settings.sources().values()) {
      double maxBad = settings.maxBadFraction();
      Map<String, String> options = spec.options();
      DataSource source;
      switch (spec.format()) {
        case "world" -> {
          if (world == null) {
            world = world(settings);
          }
          source = renamed(spec.name(), world.source(options.get("kind")));
        }
        case "webdataset" -> source = new WebDatasetSource(spec.name(), paths(spec), maxBad);
        case "jsonl-interleaved" ->
            source = new InterleavedJsonlSource(spec.name(), paths(spec), maxBad);
        case "jsonl-text" -> source = new TextJsonlSource(spec.name(), paths(spec), maxBad);
        case "obelics" -> source = new ObelicsSource(spec.name(), paths(spec), maxBad);
        case "mmc4" ->
            source =
                new Mmc4Source(spec.name(), paths(spec), Path.of(options.get("images")), maxBad);
        case "karpathy" ->
            source =
                new KarpathySplitSource(
                    spec.name(),
                    Path.of(options.get("path")),
                    Path.of(options.get("images")),
                    options.get("split"),
                    maxBad);
        case "coco" ->
            source =
                new CocoCaptionSource(
                    spec.name(),
                    Path.of(options.get("annotations")),
                    Path.of(options.get("images")),
                    maxBad);
        default ->
            throw new IllegalStateException(
                "DataSettings accepted unknown format " + spec.format());
      }
      sources.put(spec.name(), source);
    }
    return sources;
  }

  /** The files, folders and brace patterns of {@code path}, expanded. */
  private static List<Path> paths(DataSettings.SourceSpec spec) {
    return ShardPaths.resolve(spec.name(), spec.paths());
  }

  /** The world names its sources by kind; a run may call them otherwise. */
  private static DataSource renamed(String name, DataSource source) {
    if (source.name().equals(name)) {
      return source;
    }
    return new DataSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ExampleStream open(long position) {
        return source.open(position);
      }
    };
  }
}
