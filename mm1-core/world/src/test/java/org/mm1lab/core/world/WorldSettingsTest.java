package org.mm1lab.core.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorldSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    WorldSettings s = WorldSettings.defaults();
    assertEquals(64, s.imageSize());
    assertEquals(1, s.minObjects());
    assertEquals(4, s.maxObjects());
    assertEquals(0.15, s.minObjectFraction());
    assertEquals(0.35, s.maxObjectFraction());
    assertEquals(10, s.textSize());
    assertEquals(224, s.withImageSize(224).imageSize());
    assertEquals(6, s.withObjects(2, 6).maxObjects());
    assertEquals(6, s.withTextSize(6).textSize());
  }

  @Test
  void badValuesAreRejectedWithTheSettingNamed() {
    WorldSettings s = WorldSettings.defaults();
    assertMessage("max-objects must be between min-objects (3)", () -> s.withObjects(3, 2));
    assertMessage("min-objects must be at least 1", () -> s.withObjects(0, 2));
    assertMessage("text-size 30 px is too large for a 64 px image", () -> s.withTextSize(30));
    assertMessage("image-size must be between 16 and 4096", () -> s.withImageSize(8));
    assertMessage(
        "word-probability must be in [0, 1]",
        () -> new WorldSettings(64, 1, 4, 0.15, 0.35, 10, 1.5, 0.2, 3, 5, 0.15));
    assertMessage(
        "min-object-size must be > 0 and <= max-object-size",
        () -> new WorldSettings(64, 1, 4, 0.4, 0.35, 10, 0.5, 0.2, 3, 5, 0.15));
    assertMessage(
        "too small to draw a shape",
        () -> new WorldSettings(64, 1, 4, 0.05, 0.35, 10, 0.5, 0.2, 3, 5, 0.15));
    assertMessage(
        "max-document-images must be between min-document-images (3)",
        () -> new WorldSettings(64, 1, 4, 0.15, 0.35, 10, 0.5, 0.2, 3, 2, 0.15));
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
