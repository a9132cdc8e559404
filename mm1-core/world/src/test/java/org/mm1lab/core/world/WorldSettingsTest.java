package org.mm1lab.core.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorldSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    WorldSettings s = WorldSettings.defaults();
    assertEquals(WorldSettings.AT_CONSUMER_SIZE, s.renderSize());
    assertEquals(1, s.minObjects());
    assertEquals(4, s.maxObjects());
    assertEquals(0.08, s.minObjectFraction());
    assertEquals(0.35, s.maxObjectFraction());
    assertEquals(0.06, s.minTextFraction());
    assertEquals(0.16, s.maxTextFraction());
    assertEquals(224, s.withRenderSize(224).renderSize());
    assertEquals(6, s.withObjects(2, 6).maxObjects());
    assertEquals(0.1, s.withTextSizes(0.1, 0.2).minTextFraction());
    assertEquals(0.3, s.withObjectSizes(0.1, 0.3).maxObjectFraction());
  }

  @Test
  void imagesFollowTheirConsumerUnlessTheSizeIsFixed() {
    WorldSettings auto = WorldSettings.defaults();
    assertEquals(128, auto.renderSizeFor(128));
    assertEquals(WorldSettings.PREVIEW_SIZE, auto.renderSizeFor(0));
    assertEquals(96, auto.withRenderSize(96).renderSizeFor(128));
  }

  @Test
  void badValuesAreRejectedWithTheSettingNamed() {
    WorldSettings s = WorldSettings.defaults();
    assertMessage("max-objects must be between min-objects (3)", () -> s.withObjects(3, 2));
    assertMessage("min-objects must be at least 1", () -> s.withObjects(0, 2));
    assertMessage("max-text-size must be at most 0.3", () -> s.withTextSizes(0.1, 0.4));
    assertMessage("min-text-size must be at least 0.02", () -> s.withTextSizes(0.01, 0.2));
    assertMessage("min-text-size must be at least 0.02", () -> s.withTextSizes(0.2, 0.1));
    assertMessage("render-size must be auto or between 16 and 4096", () -> s.withRenderSize(8));
    assertMessage("word-probability must be in [0, 1]", () -> s.withWordProbability(1.5));
    assertMessage(
        "min-object-size must be at least 0.02 of the image side and <= max-object-size",
        () -> s.withObjectSizes(0.4, 0.35));
    assertMessage("min-object-size must be at least 0.02", () -> s.withObjectSizes(0.01, 0.35));
    assertMessage("max-object-size must be at most 0.8", () -> s.withObjectSizes(0.1, 0.9));
    assertMessage(
        "max-document-images must be between min-document-images (3)",
        () -> new WorldSettings(0, 1, 4, 0.15, 0.35, 0.08, 0.18, 0.5, 0.2, 3, 2, 0.15));
  }

  private static void assertMessage(String expected, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
