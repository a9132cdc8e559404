package org.mm1lab.plugins.data;

import java.util.List;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;

/**
 * Checks that a name a user wrote is one of the run's data sources, with a "did you mean" hint for
 * typos. (mm1-core has a similar helper, but plugins depend on mm1-api only.)
 */
final class SourceNames {

  private SourceNames() {}

  /**
   * Throws unless {@code name} is in {@link MixerContext#sourceNames()}.
   *
   * @param options for {@link Options#invalid}
   * @param key the option to blame, relative to the section (for example {@code
   *     sources.captiond}, so that the host points at the offending line)
   */
  static void requireKnown(Options options, String key, String name, MixerContext context) {
    List<String> known = context.sourceNames();
    if (known.contains(name)) {
      return;
    }
    String closest = closest(name, known);
    throw options.invalid(
        key,
        "'"
            + name
            + "' is not a data source of this run"
            + (closest == null ? "" : "; did you mean " + closest + "?")
            + " Known sources: "
            + (known.isEmpty() ? "none (mm1.data.sources is empty)" : String.join(", ", known))
            + " (set in mm1.data.sources)");
  }

  /**
   * The known name nearest to {@code word} by edit distance, or null when none is near enough to
   * be a plausible typo (at most a third of the word's length, and at least 1, edits away).
   */
  static String closest(String word, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = editDistance(word, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(1, Math.max(word.length(), 3) / 3);
    return best != null && bestDistance <= allowed ? best : null;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
