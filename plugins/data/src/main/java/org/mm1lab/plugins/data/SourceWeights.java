package org.mm1lab.plugins.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;

/**
 * A validated table of source weights, read from an open section such as {@code sources { captioned
 * = 45, interleaved = 45, text = 10 }}, that turns a uniform number into a source with probability
 * weight / sum.
 *
 * <p>Weights are relative: {@code 45:45:10} and {@code 0.45:0.45:0.1} are the same mix. Sources of
 * the run that the section does not name are never drawn.
 */
final class SourceWeights {

  /** The example written into messages, the paper's final pre-training mix. */
  static final String EXAMPLE = "sources { captioned = 45, interleaved = 45, text = 10 }";

  private final List<String> names;
  private final double[] probabilities;

  /** cumulative[i] = probabilities[0] + ... + probabilities[i]; the last entry is forced to 1. */
  private final double[] cumulative;

  private SourceWeights(List<String> names, double[] weights) {
    this.names = List.copyOf(names);
    // Divide by the largest weight before summing, so that huge weights (1e308 each) cannot
    // overflow the sum to infinity; only the ratios matter.
    double max = 0;
    for (double w : weights) {
      max = Math.max(max, w);
    }
    double total = 0;
    for (double w : weights) {
      total += w / max;
    }
    probabilities = new double[weights.length];
    cumulative = new double[weights.length];
    double running = 0;
    for (int i = 0; i < weights.length; i++) {
      probabilities[i] = weights[i] / max / total;
      running += probabilities[i];
      cumulative[i] = running;
    }
    // Rounding may leave the sum a hair below 1; a draw of 0.9999999999999999 must still land.
    cumulative[weights.length - 1] = 1.0;
  }

  /**
   * Reads and checks the weights under {@code key}.
   *
   * @throws org.mm1lab.api.InvalidOptionException when the section is empty, names a source the run
   *     does not define, or holds a weight that is negative, zero or not finite
   */
  static SourceWeights read(Options options, String key, MixerContext context) {
    Map<String, Double> raw = options.getNumberMap(key);
    if (raw.isEmpty()) {
      throw options.invalid(
          key,
          "no sources given; name at least one source, e.g. "
              + EXAMPLE
              + " (known sources: "
              + String.join(", ", context.sourceNames())
              + ")");
    }
    List<String> names = new ArrayList<>();
    double[] weights = new double[raw.size()];
    int i = 0;
    for (Map.Entry<String, Double> entry : raw.entrySet()) {
      String name = entry.getKey();
      double weight = entry.getValue();
      String entryKey = key + "." + name;
      SourceNames.requireKnown(options, entryKey, name, context);
      if (Double.isNaN(weight) || Double.isInfinite(weight)) {
        throw options.invalid(
            entryKey,
            "the weight of " + name + " is " + weight + "; use a finite number such as 10");
      }
      if (weight < 0) {
        throw options.invalid(
            entryKey,
            "the weight of " + name + " is negative (" + weight + "); weights must be positive");
      }
      if (weight == 0) {
        // Almost always a leftover from editing the mix: say so rather than silently accepting a
        // source that will never be drawn.
        throw options.invalid(
            entryKey, "a weight of 0 draws nothing from " + name + "; remove the entry instead");
      }
      names.add(name);
      weights[i++] = weight;
    }
    return new SourceWeights(names, weights);
  }

  /** The weighted sources, in the order their keys sort. */
  List<String> names() {
    return names;
  }

  /** The probability of each source in {@link #names()}, summing to 1. */
  List<Double> probabilities() {
    List<Double> result = new ArrayList<>();
    for (double p : probabilities) {
      result.add(p);
    }
    return Collections.unmodifiableList(result);
  }

  /** The source a uniform draw {@code u} in {@code [0, 1)} selects (inverse-CDF sampling). */
  String pick(double u) {
    // A handful of sources: a linear scan beats a binary search and is obviously correct.
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return names.get(i);
      }
    }
    return names.get(names.size() - 1);
  }
}
