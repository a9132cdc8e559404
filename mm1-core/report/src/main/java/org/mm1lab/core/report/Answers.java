package org.mm1lab.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an example's reference answers and its own score are shown: ten VQA answers of which seven
 * say "circle" read as {@code circle ×7, oval ×3}, and an item's score as a mark that tells at a
 * glance whether the model was right.
 */
final class Answers {

  private Answers() {}

  /**
   * The answers counted, most frequent first (ties in order of first appearance), or empty when
   * every answer is different (caption references), which reads best as a list.
   */
  static List<String> counted(List<String> answers) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String a : answers) {
      counts.merge(a, 1, Integer::sum);
    }
    if (counts.size() == answers.size()) {
      return List.of();
    }
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
    // A stable sort keeps the first-seen order among equal counts.
    entries.sort((x, y) -> Integer.compare(y.getValue(), x.getValue()));
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : entries) {
      out.add(e.getValue() == 1 ? e.getKey() : e.getKey() + " \u00d7" + e.getValue());
    }
    return out;
  }

  /**
   * The mark of one item's score: for an accuracy (a percentage per item) {@code right} at 100,
   * {@code wrong} at 0, {@code partly right} between (VQA credits an answer that fewer than three
   * people gave); for any other metric (CIDEr-D) no verdict, only the score.
   *
   * @param metric the metric's name
   * @param score the item's score, x100; NaN when unknown
   * @return the CSS class and the text, or {@code null} when the score is unknown
   */
  static String[] mark(String metric, double score) {
    if (Double.isNaN(score)) {
      return null;
    }
    String value = String.format(Locale.ROOT, "%.1f", score);
    if (!EvalResults.scale(metric).equals("%")) {
      return new String[] {"scored", metric + " " + value};
    }
    if (score >= 100) {
      return new String[] {"right", "\u2713 right (" + metric + " " + value + ")"};
    }
    if (score <= 0) {
      return new String[] {"wrong", "\u2717 wrong (" + metric + " " + value + ")"};
    }
    return new String[] {"partly", "\u25d0 partly right (" + metric + " " + value + ")"};
  }
}
