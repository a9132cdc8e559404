package org.mm1lab.cli;

import java.util.Locale;
import org.mm1lab.core.UserException;
import org.mm1lab.core.eval.Sampling;
import picocli.CommandLine.Option;

/** How {@code caption} and {@code ask} generate: answer length, greedy or sampled, and output. */
final class GenerationOptions {

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description =
          "The most tokens of each answer (default: the run's mm1.eval.max-new-tokens for the"
              + " task, caption or vqa). Prompt and answer must fit the model's context, the"
              + " sequence length it was trained at.")
  Integer maxNewTokens;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description =
          "Sample each token at temperature T instead of taking the most likely one (default 0:"
              + " greedy, as the evaluation decodes). Below 1 sharpens the model's distribution,"
              + " above 1 flattens it.")
  double temperature;

  @Option(
      names = "--top-p",
      paramLabel = "P",
      description =
          "With --temperature: sample only from the most likely tokens whose probabilities add up"
              + " to P, in (0, 1] (default 1: every token).")
  Double topP;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "The random stream of sampling (default 0): the same seed, model, image and question"
              + " give the same answer.")
  long seed;

  @Option(
      names = "--json",
      description =
          "Print one JSON object per answer, one a line: the image, the prompt, the answer, its"
              + " token counts, the checkpoint and the sampling settings.")
  boolean json;

  /** The sampling asked for, checked before any model is loaded. */
  Sampling sampling() {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new UserException(
          "--temperature " + format(temperature) + ": give 0 (greedy) or a number above 0");
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new UserException(
          "--top-p " + format(topP) + ": give a probability above 0 and at most 1");
    }
    if (topP != null && temperature == 0) {
      throw new UserException(
          "--top-p "
              + format(topP)
              + " samples only with --temperature above 0; without it each token is the most"
              + " likely one");
    }
    return new Sampling(temperature, topP == null ? 1 : topP, seed);
  }

  /** The answer length asked for, or {@code fallback} (the run's), checked. */
  int maxNewTokens(int fallback) {
    if (maxNewTokens == null) {
      return fallback;
    }
    if (maxNewTokens < 1) {
      throw new UserException("--max-new-tokens " + maxNewTokens + ": give at least 1");
    }
    return maxNewTokens;
  }

  /** Checks every option; the command calls it before it loads the model. */
  void check() {
    sampling();
    maxNewTokens(1);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }
}
