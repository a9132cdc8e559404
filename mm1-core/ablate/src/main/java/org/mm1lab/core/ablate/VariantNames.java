package org.mm1lab.core.ablate;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How variants are named. A name is readable and safe as a folder name on every system: one part
 * per axis joined by {@code _}, each part {@code label-level} ({@code tokens-64}), except that an
 * axis over a {@code type} shows the level alone ({@code c-abstractor}); a seed adds {@code
 * _seed-N}. An axis over sections that name their {@code type} shows the type alone too. So {@code
 * type = c-abstractor, tokens = 64, seed = 1} is {@code c-abstractor_tokens-64_seed-1}. A grid with
 * neither axes nor listed variants has one variant, {@code base}.
 */
public final class VariantNames {

  /** The characters a name may hold: letters, digits, dot, plus and hyphen ({@code _} joins). */
  public static final Pattern SAFE = Pattern.compile("[A-Za-z0-9.+-]+");

  /** The name of the only variant of a grid without axes or listed variants. */
  public static final String BASE = "base";

  private static final int MAX_LEVEL = 40;

  private VariantNames() {}

  /**
   * The label of a value on a path axis: a string as it is, a number or boolean as written, a
   * section by its {@code type} when it has one; then made folder-safe.
   */
  public static String levelLabel(ConfigValue value) {
    String text;
    if (value.valueType() == ConfigValueType.OBJECT
        && ((ConfigObject) value).get("type") != null
        && ((ConfigObject) value).get("type").valueType() == ConfigValueType.STRING) {
      text = (String) ((ConfigObject) value).get("type").unwrapped();
    } else if (value.valueType() == ConfigValueType.STRING) {
      text = (String) value.unwrapped();
    } else {
      text = value.render(ConfigRenderOptions.concise());
    }
    return safe(text);
  }

  /** {@code text} with every run of other characters replaced by one hyphen, at most 40 long. */
  public static String safe(String text) {
    String cleaned = text.replaceAll("[^A-Za-z0-9.+-]+", "-").replaceAll("^-+|-+$", "");
    if (cleaned.length() > MAX_LEVEL) {
      cleaned = cleaned.substring(0, MAX_LEVEL);
    }
    return cleaned.isEmpty() ? "x" : cleaned;
  }

  /** The part an axis adds to a name. */
  static String part(GridAxis axis, String level) {
    return axis.bare() ? level : axis.label() + "-" + level;
  }

  /** The group name of one point of the axes' product (axis label to level label, in order). */
  static String group(List<GridAxis> axes, Map<String, String> levels) {
    if (axes.isEmpty()) {
      return BASE;
    }
    List<String> parts = new ArrayList<>();
    for (GridAxis axis : axes) {
      parts.add(part(axis, levels.get(axis.label())));
    }
    return String.join("_", parts);
  }

  /** A run's name: its group's with the seed, if any. */
  static String run(String group, Long seed) {
    return seed == null ? group : group + "_seed-" + seed;
  }
}
