package org.mm1lab.core.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigSources;
import org.mm1lab.core.config.HoconFiles;
import org.mm1lab.core.config.Origins;

/**
 * Reads {@code mm1.plugins.dirs} from a run file before the file is checked.
 *
 * <p>The order matters: checking a run file strictly needs every plugin (their names and defaults),
 * and the run file itself may name plugin folders. So this reads that one setting from the raw file
 * and the {@code --set} overrides, leniently: anything else that is wrong with the file is left to
 * the strict check that follows, once the plugins are loaded.
 *
 * <p>A relative folder is resolved against the folder of the file that wrote it (the run file, or a
 * file it includes), and against the working directory when it comes from {@code --set}.
 */
public final class RunFilePluginDirs {

  /** The setting's path. */
  public static final String PATH = "mm1.plugins.dirs";

  private RunFilePluginDirs() {}

  /**
   * The plugin folders a run file (with its overrides) names.
   *
   * @param runFile the run file; a missing or unparsable one names no folders (the strict check
   *     reports it)
   * @param overrides {@code --set path=value} strings
   * @throws UserException when the setting is not a list of strings
   */
  public static List<PluginLocation> read(Path runFile, List<String> overrides) {
    Config config = ConfigFactory.empty();
    if (runFile != null && Files.isRegularFile(runFile) && Files.isReadable(runFile)) {
      try {
        config = HoconFiles.parse(runFile, "run file");
      } catch (UserException e) {
        return List.of();
      }
    }
    for (String override : overrides) {
      if (override.trim().startsWith("mm1.plugins")) {
        config = ConfigSources.parseOverride(override).withFallback(config);
      }
    }
    try {
      config = config.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    } catch (ConfigException e) {
      return List.of();
    }
    if (!config.hasPath(PATH)) {
      return List.of();
    }
    ConfigValue value;
    try {
      value = config.getValue(PATH);
    } catch (ConfigException e) {
      return List.of(); // unresolved: the strict check reports it
    }
    String where = " (" + Origins.describe(value.origin()) + ")";
    if (value.valueType() != ConfigValueType.LIST) {
      throw new UserException(
          PATH
              + where
              + ": expected a list of folders, for example [plugins], got "
              + render(value));
    }
    List<PluginLocation> locations = new ArrayList<>();
    for (ConfigValue element : (ConfigList) value) {
      if (element.valueType() != ConfigValueType.STRING) {
        throw new UserException(
            PATH + where + ": expected a list of folder names, found " + render(element));
      }
      String text = (String) element.unwrapped();
      Path dir = resolve(Path.of(text), element.origin(), runFile);
      locations.add(
          new PluginLocation(
              dir, PATH + " (" + Origins.describe(element.origin()) + ") '" + text + "'"));
    }
    return locations;
  }

  private static Path resolve(Path dir, ConfigOrigin origin, Path runFile) {
    if (dir.isAbsolute()) {
      return dir;
    }
    String file = origin.filename();
    if (file != null) {
      Path parent = Path.of(file).getParent();
      return parent == null ? dir : parent.resolve(dir).normalize();
    }
    if (origin.description() != null && origin.description().startsWith(Origins.COMMAND_LINE)) {
      return dir;
    }
    Path parent = runFile == null ? null : runFile.getParent();
    return parent == null ? dir : parent.resolve(dir).normalize();
  }

  private static String render(ConfigValue value) {
    return value.valueType() == ConfigValueType.OBJECT
        ? "a section { ... }"
        : value.render(com.typesafe.config.ConfigRenderOptions.concise());
  }
}
