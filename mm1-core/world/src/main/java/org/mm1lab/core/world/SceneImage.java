package org.mm1lab.core.world;

import java.awt.image.BufferedImage;
import java.util.Objects;
import org.mm1lab.core.data.ImageSource;

/**
 * A world image not yet rendered: decoding draws the scene, so rendering runs where the pipeline
 * decodes images (its background threads), and an example costs nothing until then. The scene has
 * no resolution of its own: it is drawn at the size its consumer asks for (the encoder's input
 * size), unless the world is set to draw at a fixed size. Each call renders afresh; the result is
 * the same every time.
 *
 * @param scene what the image shows
 * @param renderSize the fixed side to draw at, or {@link WorldSettings#AT_CONSUMER_SIZE}
 */
public record SceneImage(Scene scene, int renderSize) implements ImageSource {

  public SceneImage {
    Objects.requireNonNull(scene, "scene");
  }

  /** An image drawn at whatever size its consumer asks for. */
  public SceneImage(Scene scene) {
    this(scene, WorldSettings.AT_CONSUMER_SIZE);
  }

  /** Draws the scene at the fixed size, or {@value WorldSettings#PREVIEW_SIZE} px without one. */
  @Override
  public BufferedImage decode() {
    return decode(0);
  }

  @Override
  public BufferedImage decode(int side) {
    return SceneRenderer.render(scene, WorldSettings.renderSizeFor(renderSize, side));
  }
}
