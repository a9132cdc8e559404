package org.mm1lab.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.mm1lab.core.UserException;

/**
 * Turns the folders the user named into {@link PluginBundle}s: each {@code *.jar} directly in a
 * folder is one plugin; each sub-folder that holds jars is one plugin whose class path is those
 * jars (the plugin and its dependencies). Sub-folders without jars (such as Maven's {@code
 * target/classes}) are ignored. A path may also name a single jar.
 */
final class PluginFolders {

  private PluginFolders() {}

  /**
   * The bundles of the given locations, in the order named and, within a folder, by file name. A
   * folder named twice (by {@code --plugins} and the run file, say) is read once.
   *
   * @throws UserException one line per location that does not exist or holds no jar
   */
  static List<PluginBundle> scan(List<PluginLocation> locations) {
    List<String> problems = new ArrayList<>();
    List<PluginBundle> bundles = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    for (PluginLocation location : locations) {
      Path path = location.path();
      if (!Files.exists(path)) {
        problems.add(
            location.origin()
                + ": "
                + path
                + " does not exist; name a folder of plugin jars (built with mvn package, say)");
        continue;
      }
      if (!seen.add(path.toAbsolutePath().normalize())) {
        continue;
      }
      if (Files.isRegularFile(path)) {
        if (isJar(path)) {
          bundles.add(new PluginBundle(path.toString(), List.of(path)));
        } else {
          problems.add(location.origin() + ": " + path + " is a file but not a .jar");
        }
        continue;
      }
      List<PluginBundle> found = new ArrayList<>();
      for (Path entry : list(path, location, problems)) {
        if (Files.isRegularFile(entry) && isJar(entry)) {
          found.add(new PluginBundle(entry.toString(), List.of(entry)));
        } else if (Files.isDirectory(entry)) {
          List<Path> jars = new ArrayList<>();
          for (Path inner : list(entry, location, problems)) {
            if (Files.isRegularFile(inner) && isJar(inner)) {
              jars.add(inner);
            }
          }
          if (!jars.isEmpty()) {
            found.add(new PluginBundle(entry + "/", jars));
          }
        }
      }
      if (found.isEmpty()) {
        problems.add(
            location.origin()
                + ": "
                + path
                + " holds no plugin jar (*.jar, or sub-folders of jars); build the plugin first");
      }
      bundles.addAll(found);
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    return bundles;
  }

  private static boolean isJar(Path file) {
    return file.getFileName().toString().endsWith(".jar");
  }

  private static List<Path> list(Path dir, PluginLocation location, List<String> problems) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      problems.add(location.origin() + ": cannot read " + dir + ": " + e.getMessage());
      return List.of();
    }
  }
}
