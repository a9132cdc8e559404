package org.mm1lab.plugins.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.MixerContext;
import org.mm1lab.toolkit.options.ConfigOptions;

/** Shared helpers: options merged over this module's reference.conf, as the host merges them. */
final class MixerTesting {

  static final List<String> SOURCES = List.of("captioned", "vecap", "interleaved", "text");

  private MixerTesting() {}

  static MixerContext context(long seed) {
    return new MixerContext(seed, SOURCES, 8);
  }

  static MixerContext context(long seed, int batchSize) {
    return new MixerContext(seed, SOURCES, batchSize);
  }

  /** The user's HOCON over the factory's reference.conf defaults. */
  static ConfigOptions options(String type, String hocon) {
    Config defaults =
        ConfigFactory.parseResources("reference.conf")
            .resolve()
            .getConfig("mm1-plugin-defaults.mixer." + type);
    Config merged = ConfigFactory.parseString(hocon).withFallback(defaults).resolve();
    return new ConfigOptions("mm1.data.mix", merged);
  }

  /** Builds a mixer and checks that the factory read every option, as the host requires. */
  static DataMixer createMixer(DataMixerFactory factory, String hocon, MixerContext context) {
    ConfigOptions options = options(factory.name(), hocon);
    DataMixer mixer = factory.create(options, context);
    assertTrue(options.unreadKeys().isEmpty(), "unread options: " + options.unreadKeys());
    return mixer;
  }

  static List<String> draw(DataMixer mixer, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(mixer.nextSource());
    }
    return out;
  }

  static Map<String, Integer> counts(List<String> draws) {
    Map<String, Integer> counts = new HashMap<>();
    for (String s : draws) {
      counts.merge(s, 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Asserts each source's count is within 5 binomial standard deviations of n * p (a false alarm
   * has probability below 1e-6 per source), and that unlisted sources never appear.
   */
  static void assertFrequencies(Map<String, Integer> counts, Map<String, Double> expected, long n) {
    for (String source : SOURCES) {
      double p = expected.getOrDefault(source, 0.0);
      int count = counts.getOrDefault(source, 0);
      if (p == 0) {
        assertEquals(0, count, source + " has no weight but was drawn");
        continue;
      }
      double mean = n * p;
      double sigma = Math.sqrt(n * p * (1 - p));
      assertTrue(
          Math.abs(count - mean) <= 5 * sigma,
          source + ": " + count + " draws, expected " + mean + " +- " + 5 * sigma);
    }
  }

  /** The factory's complaint, checked to blame {@code key} and to contain every fragment. */
  static InvalidOptionException assertInvalid(
      DataMixerFactory factory, String hocon, String key, String... fragments) {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () -> factory.create(options(factory.name(), hocon), context(7)));
    assertEquals(key, e.key());
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment),
          "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
    return e;
  }

  /** Asserts restoreState rejects the state with a message containing every fragment. */
  static void assertRejects(DataMixer mixer, String state, String... fragments) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> mixer.restoreState(state));
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment),
          "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
  }
}
