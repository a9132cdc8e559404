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

  /**
   * The side in pixels at which the images are fed to the model (so that the evaluation's image
   * files show what the model saw), or 0 when the generator has no images of its own size.
   */
  default int imageSide() {
    return 0;
  }
}
