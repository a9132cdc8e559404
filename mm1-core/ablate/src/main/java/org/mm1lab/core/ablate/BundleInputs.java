package org.mm1lab.core.ablate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mm1lab.core.data.formats.ShardPaths;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * The files a cluster bundle carries: every input a run file names on the emitting machine (a
 * component's pretrained {@code checkpoint}, a tokenizer file, the files and folders of data
 * sources and evaluation sets) is copied into the bundle's {@code inputs/} folder, and the run file
 * names the copy by a path relative to the bundle folder, which the jobs make their working
 * directory. So a bundle runs wherever its folder is mounted, and nothing it reads lives outside
 * it. A brace pattern of shards keeps its braces: the shards it names are copied under the
 * pattern's fixed folder, and the pattern is rewritten to point there.
 *
 * <p>Paths in a run file are relative to the working directory of the command that reads it (the
 * components and data sources resolve them so), which is where they are looked up here. An input
 * that does not exist is a problem line naming the setting, its value and where it was looked for;
 * nothing is copied until {@link #copy()} runs, after every variant is checked.
 */
public final class BundleInputs {

  /** The settings under a data source or evaluation set that name files or folders. */
  private static final List<String> FILE_KEYS =
      List.of(
          "path",
          "annotations",
          "images",
          "questions",
          "shots-path",
          "shots-annotations",
          "shots-images",
          "shots-questions");

  private final Path bundle;
  private final Map<String, String> destinations = new LinkedHashMap<>();
  private final Map<Path, Path> copies = new LinkedHashMap<>();

  /**
   * @param bundle the bundle (ablation) folder the inputs are copied into
   */
  public BundleInputs(Path bundle) {
    this.bundle = bundle.toAbsolutePath().normalize();
  }

  /**
   * A run file's settings with every input rewritten to its copy in the bundle.
   *
   * @param config the run's resolved settings
   * @param missing receives one line per input that does not exist
   * @return the settings the bundle's run file holds
   */
  public Config rewrite(Config config, List<String> missing) {
    Config out = config;
    for (String key : inputKeys(config)) {
      ConfigValue value = config.getValue(key);
      if (value.valueType() == ConfigValueType.STRING) {
        String path = (String) value.unwrapped();
        String copy = destination(key, path, missing);
        out = out.withValue(key, ConfigValueFactory.fromAnyRef(copy, origin(value)));
      } else if (value.valueType() == ConfigValueType.LIST) {
        List<String> copied = new ArrayList<>();
        for (ConfigValue item : (ConfigList) value) {
          copied.add(destination(key, String.valueOf(item.unwrapped()), missing));
        }
        out = out.withValue(key, ConfigValueFactory.fromIterable(copied, origin(value)));
      }
    }
    return out;
  }

  /**
   * The settings of {@code config} that name an input: the keys, sorted by component, source and
   * set name (a section's keys have no order of their own), so that copies are numbered the same
   * every time.
   */
  static List<String> inputKeys(Config config) {
    List<String> keys = new ArrayList<>();
    if (config.hasPath("mm1.model")) {
      for (String component : new java.util.TreeSet<>(config.getObject("mm1.model").keySet())) {
        String key = "mm1.model." + quoteKey(component) + ".checkpoint";
        if (isNamed(config, key)) {
          keys.add(key);
        }
      }
    }
    if (isNamed(config, "mm1.data.tokenizer")
        && !"world".equals(config.getString("mm1.data.tokenizer"))) {
      keys.add("mm1.data.tokenizer");
    }
    for (String section : List.of("mm1.data.sources", "mm1.eval.sets")) {
      if (!config.hasPath(section)
          || config.getValue(section).valueType() != ConfigValueType.OBJECT) {
        continue;
      }
      ConfigObject entries = config.getObject(section);
      for (String name : new java.util.TreeSet<>(entries.keySet())) {
        String entry = section + "." + quoteKey(name);
        if (config.getValue(entry).valueType() != ConfigValueType.OBJECT) {
          continue;
        }
        for (String file : FILE_KEYS) {
          if (isNamed(config, entry + "." + file)) {
            keys.add(entry + "." + file);
          }
        }
      }
    }
    return keys;
  }

  /** Whether {@code key} holds a non-empty path or a list of paths. */
  private static boolean isNamed(Config config, String key) {
    if (!config.hasPath(key)) {
      return false;
    }
    ConfigValue value = config.getValue(key);
    return switch (value.valueType()) {
      case STRING -> !((String) value.unwrapped()).isBlank();
      case LIST -> !((ConfigList) value).isEmpty();
      default -> false;
    };
  }

  private static String quoteKey(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
  }

  private static String origin(ConfigValue value) {
    return value.origin().description() + " (copied into the bundle by mm1 ablate --emit)";
  }

  /**
   * Where the bundle keeps the input {@code path}, relative to the bundle folder; the copies it
   * needs are recorded, or a line added to {@code missing}.
   */
  private String destination(String key, String path, List<String> missing) {
    String known = destinations.get(path);
    if (known != null) {
      return known;
    }
    List<String> expanded;
    try {
      expanded = ShardPaths.expand(path);
    } catch (IllegalArgumentException e) {
      missing.add(key + " = " + path + ": " + e.getMessage());
      return path;
    }
    int brace = path.indexOf('{');
    // The fixed folder of a pattern: everything before the folder its first brace is in.
    Path fixed =
        brace < 0
            ? Path.of(path).toAbsolutePath().normalize()
            : parentOf(path.substring(0, brace)).toAbsolutePath().normalize();
    String name = fixed.getFileName() == null ? "root" : fixed.getFileName().toString();
    String copy = Ablation.INPUTS + "/" + (destinations.size() + 1) + "-" + name;
    List<String> absent = new ArrayList<>();
    Map<Path, Path> planned = new LinkedHashMap<>();
    for (String one : expanded) {
      Path source = Path.of(one).toAbsolutePath().normalize();
      if (!Files.exists(source)) {
        absent.add(one);
        continue;
      }
      Path target =
          brace < 0
              ? bundle.resolve(copy)
              : bundle.resolve(copy).resolve(fixed.relativize(source).toString());
      planned.put(source, target);
    }
    if (!absent.isEmpty()) {
      missing.add(
          key
              + " = "
              + path
              + ": "
              + (expanded.size() == 1
                  ? "no such file or folder"
                  : absent.size()
                      + " of its "
                      + expanded.size()
                      + " paths do not exist, first "
                      + absent.get(0))
              + " (relative paths are looked up in the working directory "
              + Path.of("").toAbsolutePath()
              + "); create it, or point the grid or its base run at an existing one");
      return path;
    }
    copies.putAll(planned);
    String rewritten =
        brace < 0
            ? copy
            : copy + "/" + path.substring(path.substring(0, brace).lastIndexOf('/') + 1);
    destinations.put(path, rewritten);
    return rewritten;
  }

  private static Path parentOf(String prefix) {
    int slash = prefix.lastIndexOf('/');
    return slash < 0 ? Path.of("") : Path.of(prefix.substring(0, Math.max(slash, 1)));
  }

  /** Every input copied so far, by the path its run files name in the bundle. */
  public Map<String, String> copied() {
    Map<String, String> byCopy = new LinkedHashMap<>();
    destinations.forEach((source, copy) -> byCopy.put(copy, source));
    return byCopy;
  }

  /**
   * Copies every recorded input into the bundle, replacing an earlier copy of the same name.
   *
   * @throws IOException when a file cannot be read or written
   */
  public void copy() throws IOException {
    for (Map.Entry<Path, Path> e : copies.entrySet()) {
      copyTree(e.getKey(), e.getValue());
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    if (Files.isDirectory(source)) {
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path p : walk.toList()) {
          Path to = target.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.createDirectories(to.getParent());
            AtomicFiles.copy(p, to);
          }
        }
      }
    } else {
      Files.createDirectories(target.getParent());
      AtomicFiles.copy(source, target);
    }
  }
}
