package org.mm1lab.core.data.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;

/**
 * The paths of a source as WebDataset users write them: a file, a folder, or a brace pattern
 * ({@code shards/shard-{000000..000099}.tar}, {@code {train,extra}/part.tar}, several groups
 * multiply), and a list of any of these. A numeric range keeps the zero padding of its bounds and
 * may have a step ({@code {0..100..10}}).
 */
public final class ShardPaths {

  /** More expanded paths than this is a typo in a range, not a data set. */
  private static final int MAX_PATHS = 10_000_000;

  private ShardPaths() {}

  /**
   * Expands every pattern, in the order given; a brace pattern must name only paths that exist.
   *
   * @param sourceName for messages
   * @param patterns files, folders or brace patterns
   * @throws UserException for a malformed pattern, or when paths it names do not exist
   */
  public static List<Path> resolve(String sourceName, List<String> patterns) {
    List<Path> paths = new ArrayList<>();
    for (String pattern : patterns) {
      List<String> expanded;
      try {
        expanded = expand(pattern);
      } catch (IllegalArgumentException e) {
        throw new UserException(
            "data source '" + sourceName + "': path '" + pattern + "': " + e.getMessage(), e);
      }
      if (expanded.size() > 1 || !expanded.get(0).equals(pattern)) {
        List<String> missing = expanded.stream().filter(p -> !Files.exists(Path.of(p))).toList();
        if (!missing.isEmpty()) {
          throw new UserException(
              String.format(
                  "data source '%s': %d of the %d paths of %s do not exist; first: %s",
                  sourceName, missing.size(), expanded.size(), pattern, missing.get(0)));
        }
      }
      for (String path : expanded) {
        paths.add(Path.of(path));
      }
    }
    return paths;
  }

  /**
   * The paths a brace pattern names, in order; a pattern without braces names itself.
   *
   * @throws IllegalArgumentException when a brace is unbalanced, a range is malformed, or the
   *     pattern names too many paths
   */
  public static List<String> expand(String pattern) {
    int open = pattern.indexOf('{');
    int close = pattern.indexOf('}');
    if (open < 0) {
      if (close >= 0) {
        throw new IllegalArgumentException("'}' without '{'");
      }
      return List.of(pattern);
    }
    if (close < 0) {
      throw new IllegalArgumentException("'{' without '}'");
    }
    if (close < open) {
      throw new IllegalArgumentException("'}' without '{'");
    }
    int nested = pattern.indexOf('{', open + 1);
    if (nested >= 0 && nested < close) {
      throw new IllegalArgumentException("nested braces are not supported");
    }
    List<String> alternatives = alternatives(pattern.substring(open + 1, close));
    List<String> rests = expand(pattern.substring(close + 1));
    String head = pattern.substring(0, open);
    if ((long) alternatives.size() * rests.size() > MAX_PATHS) {
      throw new IllegalArgumentException("names more than " + MAX_PATHS + " paths");
    }
    List<String> out = new ArrayList<>(alternatives.size() * rests.size());
    for (String alternative : alternatives) {
      for (String rest : rests) {
        out.add(head + alternative + rest);
      }
    }
    return out;
  }

  /** The contents of one pair of braces: {@code a,b,c} or {@code FROM..TO[..STEP]}. */
  private static List<String> alternatives(String body) {
    if (body.contains(",")) {
      return List.of(body.split(",", -1));
    }
    String[] parts = body.split("\\.\\.", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "'{" + body + "}' is neither a list {a,b} nor a range {000..099}");
    }
    long from;
    long to;
    long step;
    try {
      from = Long.parseLong(parts[0]);
      to = Long.parseLong(parts[1]);
      step = parts.length == 3 ? Long.parseLong(parts[2]) : 1;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'{" + body + "}': a range needs whole numbers, as in {000000..000099}", e);
    }
    if (step <= 0 || from < 0 || to < 0) {
      throw new IllegalArgumentException(
          "'{" + body + "}': bounds must be >= 0 and the step positive");
    }
    boolean padded =
        (parts[0].length() > 1 && parts[0].startsWith("0"))
            || (parts[1].length() > 1 && parts[1].startsWith("0"));
    int width = padded ? Math.max(parts[0].length(), parts[1].length()) : 0;
    long count = Math.abs(to - from) / step + 1;
    if (count > MAX_PATHS) {
      throw new IllegalArgumentException("names more than " + MAX_PATHS + " paths");
    }
    List<String> out = new ArrayList<>((int) count);
    long direction = to >= from ? step : -step;
    for (long i = 0, value = from; i < count; i++, value += direction) {
      String digits = Long.toString(value);
      out.add(digits.length() < width ? "0".repeat(width - digits.length()) + digits : digits);
    }
    return out;
  }
}
