package org.mm1lab.toolkit.weights;

/**
 * A component cannot be represented exactly in a published layout (a mixture-of-experts decoder in
 * Llama's, a convolutional stem in timm's ViT): the message is one sentence saying why and, where
 * there is one, what to use instead.
 */
public final class LayoutUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param reason one sentence
   */
  public LayoutUnavailableException(String reason) {
    super(reason);
  }
}
