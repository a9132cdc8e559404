package org.mm1lab.core.report;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's configuration as the report shows it: only the sections the run used, in compact HOCON
 * (one {@code key = value} per setting, arrays of plain values on one line), so that it reads in a
 * screen or two rather than fifteen. {@code run.conf} itself keeps everything.
 *
 * <p>A training run does not use {@code mm1.pretrain} (the settings of {@code mm1
 * pretrain-encoder}, whose defaults may even contradict a loaded encoder); a pretraining folder
 * uses nothing else of the training settings but keeps them all, as it has no way to tell.
 */
final class ConfigView {

  /**
   * What the page shows.
   *
   * @param text the compact configuration
   * @param leftOut the sections left out, with the reason, one sentence each
   */
  record View(String text, List<String> leftOut) {}

  private ConfigView() {}

  /**
   * The compact configuration; the text as it is when it cannot be parsed (the page still shows
   * it).
   *
   * @param trainingRun whether the folder is a training run (it has checkpoints)
   */
  static View of(String runConf, boolean trainingRun) {
    Config config;
    try {
      config = ConfigFactory.parseString(runConf).resolve();
    } catch (ConfigException e) {
      return new View(runConf, List.of());
    }
    List<String> leftOut = new ArrayList<>();
    if (trainingRun && config.hasPath("mm1.pretrain")) {
      config = config.withoutPath("mm1.pretrain");
      leftOut.add(
          "mm1.pretrain: the settings of mm1 pretrain-encoder, which this training run did not"
              + " use");
    }
    StringBuilder out = new StringBuilder();
    render(out, config.root(), 0);
    return new View(out.toString(), leftOut);
  }

  private static void render(StringBuilder out, ConfigObject object, int depth) {
    // Sorted keys, as HOCON's own rendering: the order of a merged configuration means nothing.
    Map<String, ConfigValue> sorted = new TreeMap<>(object);
    for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
      String key = quoteIfNeeded(e.getKey());
      ConfigValue value = e.getValue();
      out.append("  ".repeat(depth)).append(key);
      if (value.valueType() == ConfigValueType.OBJECT) {
        ConfigObject child = (ConfigObject) value;
        if (child.isEmpty()) {
          out.append(" {}\n");
        } else {
          out.append(" {\n");
          render(out, child, depth + 1);
          out.append("  ".repeat(depth)).append("}\n");
        }
      } else {
        out.append(" = ").append(inline(value)).append('\n');
      }
    }
  }

  /** A value on one line: scalars as HOCON writes them, arrays and objects in compact form. */
  private static String inline(ConfigValue value) {
    if (value.valueType() == ConfigValueType.LIST) {
      List<String> items = new ArrayList<>();
      for (ConfigValue item : (ConfigList) value) {
        items.add(inline(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (value.valueType() == ConfigValueType.OBJECT) {
      List<String> fields = new ArrayList<>();
      new TreeMap<>((ConfigObject) value)
          .forEach((k, v) -> fields.add(quoteIfNeeded(k) + " = " + inline(v)));
      return "{ " + String.join(", ", fields) + " }";
    }
    if (value.valueType() == ConfigValueType.STRING) {
      String text = (String) value.unwrapped();
      // Unquoted where HOCON reads the word back as the same string, as people write it.
      if (text.matches("[A-Za-z][A-Za-z0-9_-]*") && !RESERVED.contains(text)) {
        return text;
      }
    }
    return value.render(ConfigRenderOptions.concise());
  }

  /** Words HOCON reads as something other than a string when unquoted. */
  private static final java.util.Set<String> RESERVED =
      java.util.Set.of("true", "false", "null", "yes", "no", "on", "off");

  /** A key as HOCON reads it back: quoted when it holds anything but letters, digits, - and _. */
  private static String quoteIfNeeded(String key) {
    return key.matches("[A-Za-z0-9_-]+")
        ? key
        : "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
