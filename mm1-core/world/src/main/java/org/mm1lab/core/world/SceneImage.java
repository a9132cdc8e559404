package org.mm1lab.core.world;

import java.awt.image.BufferedImage;
import java.util.Objects;
import org.mm1lab.core.data.ImageSource;

/**
 * A world image not yet rendered: {@link #decode()} draws the scene, so rendering runs where the
 * pipeline decodes images (its background threads), and an example costs nothing until then. Each
 * call renders afresh; the result is the same every time.
 *
 * @param scene what the image shows
 */
public record SceneImage(Scene scene) implements ImageSource {

  public SceneImage {
    Objects.requireNonNull(scene, "scene");
  }

  @Override
  public BufferedImage decode() {
    return SceneRenderer.render(scene);
  }
}
