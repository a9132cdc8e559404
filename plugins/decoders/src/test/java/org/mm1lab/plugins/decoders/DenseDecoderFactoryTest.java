package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.plugins.decoders.DecoderFixtures.context;
import static org.mm1lab.plugins.decoders.DecoderFixtures.options;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.toolkit.options.ConfigOptions;

class DenseDecoderFactoryTest {

  @Test
  void pluginIsDiscoveredAndOffersDense() {
    List<String> names =
        ServiceLoader.load(Mm1Plugin.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p instanceof DecodersPlugin)
            .flatMap(p -> p.decoders().stream())
            .map(DecoderFactory::name)
            .collect(Collectors.toList());
    assertEquals(List.of("dense", "moe"), names);
  }

  @Test
  void defaultsBuildTheDocumentedModelAndEveryDeclaredKeyIsRead() {
    ConfigOptions options = options("");
    Decoder decoder = new DenseDecoderFactory().create(options, context());
    assertEquals(384, decoder.width());
    assertEquals(DecoderFixtures.VOCABULARY, decoder.vocabularySize());
    DenseDecoderSpec spec = ((DenseDecoder) decoder).spec();
    assertEquals(
        new DenseDecoderSpec(DecoderFixtures.VOCABULARY, 384, 6, 6, 6, 1024, 10000.0, 1e-5f, true),
        spec);
    assertEquals(options.keys(), options.readKeys());
  }

  private static InvalidOptionException invalid(String hocon) {
    return assertThrows(
        InvalidOptionException.class,
        () -> new DenseDecoderFactory().create(options(hocon), context()));
  }

  @Test
  void headsMustDivideTheWidth() {
    InvalidOptionException e = invalid("width = 100\nheads = 6\nkv-heads = 6");
    assertEquals("heads", e.key());
    assertEquals(
        "width 100 is not divisible by 6 heads; use a number of heads that divides the width,"
            + " such as 5, or change the width",
        e.getMessage());
  }

  @Test
  void headWidthMustBeEvenForRotaryEmbeddings() {
    InvalidOptionException e = invalid("width = 15\nheads = 5\nkv-heads = 5");
    assertEquals("heads", e.key());
    assertTrue(e.getMessage().startsWith("the head width 15 / 5 = 3 is odd"), e.getMessage());
    assertTrue(e.getMessage().contains("need an even head width"), e.getMessage());
  }

  @Test
  void kvHeadsMustDivideHeads() {
    InvalidOptionException e = invalid("width = 48\nheads = 6\nkv-heads = 4");
    assertEquals("kv-heads", e.key());
    assertEquals(
        "4 key/value heads do not divide 6 query heads; use a divisor of heads, such as 3"
            + " (equal to heads for plain multi-head attention)",
        e.getMessage());
    assertEquals("kv-heads", invalid("heads = 6\nkv-heads = 12").key());
  }

  @Test
  void rangesAndScalarsAreChecked() {
    assertEquals("must be between 1 and 1024, got 0", invalid("layers = 0").getMessage());
    assertEquals("must be between 1 and 384, got 500", invalid("heads = 500").getMessage());
    InvalidOptionException base = invalid("rope-base = 1.0");
    assertEquals("rope-base", base.key());
    assertTrue(base.getMessage().contains("above 1"), base.getMessage());
    InvalidOptionException eps = invalid("norm-eps = 0");
    assertEquals("norm-eps", eps.key());
    assertTrue(eps.getMessage().contains("above 0"), eps.getMessage());
    assertEquals("tie-embeddings", invalid("tie-embeddings = maybe").key());
  }

  @Test
  void nearestDivisorPrefersTheCloserThenTheSmaller() {
    assertEquals(5, DenseDecoderFactory.nearestDivisor(100, 6));
    assertEquals(3, DenseDecoderFactory.nearestDivisor(6, 4));
    assertEquals(1, DenseDecoderFactory.nearestDivisor(7, 3));
  }
}
