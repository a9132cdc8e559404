package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.Family;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.core.plugin.PluginRegistry;
import org.mm1lab.toolkit.options.ConfigOptions;

class VitOptionsTest {

  private static InvalidOptionException invalid(String overrides) {
    String hocon =
        "image-size = 224\npatch-size = 16\nwidth = 192\nlayers = 6\nheads = 3\nmlp-ratio = 4.0\n"
            + ObjectiveTestSupport.objectiveOptions(new ClipVitFactory())
            + overrides;
    ImageEncoderFactory factory = new ClipVitFactory();
    return assertThrows(
        InvalidOptionException.class,
        () ->
            factory.create(ConfigOptions.parse("mm1.model.encoder", hocon), new EncoderContext(1)));
  }

  @Test
  void imageSizeNotAMultipleOfPatchSizeNamesTheNearestSizes() {
    InvalidOptionException e = invalid("image-size = 230\npatch-size = 14");
    assertEquals("image-size", e.key());
    assertEquals(
        "230 is not a multiple of patch-size 14; use 224 or 238 (16 or 17 patches per side)",
        e.getMessage());
  }

  @Test
  void aMultipleOfThePatchSizeIsAccepted() {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.encoder",
            "image-size = 224\n"
                + "patch-size = 14\n"
                + "width = 192\n"
                + "layers = 6\n"
                + "heads = 3\n"
                + "mlp-ratio = 4.0\n"
                + ObjectiveTestSupport.objectiveOptions(new AimVitFactory()));
    VisionTransformer vit =
        (VisionTransformer) new AimVitFactory().create(options, new EncoderContext(1));
    assertEquals(256, vit.config().patches());
  }

  @Test
  void imageSmallerThanOnePatchSuggestsOnePatch() {
    InvalidOptionException e = invalid("image-size = 10");
    assertEquals(
        "10 is not a multiple of patch-size 16; use 16 (1 patch per side) or a smaller patch-size",
        e.getMessage());
  }

  @Test
  void headsMustDivideWidth() {
    InvalidOptionException e = invalid("heads = 5");
    assertEquals("heads", e.key());
    assertEquals(
        "5 does not divide width 192; use heads = 4 or 6, or change width", e.getMessage());
  }

  @Test
  void sizesMustBePositive() {
    for (String key : List.of("image-size", "patch-size", "width", "layers", "heads")) {
      InvalidOptionException e = invalid(key + " = 0");
      assertEquals(key, e.key());
      assertEquals("must be positive, got 0", e.getMessage());
    }
    InvalidOptionException e = invalid("mlp-ratio = -1");
    assertEquals("mlp-ratio", e.key());
    assertEquals("must be a positive number, got -1.0", e.getMessage());
  }

  @Test
  void bothEncodersAreDiscoveredThroughTheServiceFile() {
    PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());
    assertTrue(registry.find(Family.ENCODER, "clip-vit").isPresent());
    assertTrue(registry.find(Family.ENCODER, "aim-vit").isPresent());
    assertTrue(registry.find(Family.ENCODER, "superclass-vit").isPresent());
  }

  @Test
  void aStemIsPatchOrConvAndConvNeedsAPowerOfTwoPatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new VitConfig(48, 16, 8, 1, 2, 2.0, "pixels"));
    assertEquals("must be patch or conv, got 'pixels'", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new VitConfig(48, 12, 8, 1, 2, 2.0, "conv"));
    assertEquals(
        "conv needs a patch-size that is a power of two (2, 4, 8, 16, ...), got 12",
        e.getMessage());
    assertEquals(new VitConfig(48, 16, 8, 1, 2, 2.0), new VitConfig(48, 16, 8, 1, 2, 2.0, "patch"));
  }

  @Test
  void configRecordRejectsBadSizesWithTheSameWords() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new VitConfig(50, 16, 8, 1, 2, 2.0));
    assertTrue(e.getMessage().startsWith("image-size 50 is not a multiple of patch-size 16"));
  }
}
