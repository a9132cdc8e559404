package org.mm1lab.core.eval;

import java.util.List;

/**
 * Continues prompts: the seam between the evaluation harness and a model. {@link BatchGenerator}
 * runs a real model; tests may put a scripted one in its place.
 */
@FunctionalInterface
public interface Generator {

  /**
   * Generates a continuation of each prompt, up to the first end token.
   *
   * @param prompts the prompts of one batch
   * @param maxNewTokens the most tokens to generate per prompt
   * @return the continuations as text, one per prompt in order, without end tokens
   */
  List<String> generate(List<Prompt> prompts, int maxNewTokens);
}
