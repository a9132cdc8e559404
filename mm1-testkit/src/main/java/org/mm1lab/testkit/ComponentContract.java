package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.ComponentFactory;
import org.mm1lab.api.Family;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * What every factory owes the host, whatever its family: a kebab-case name, its defaults in its own
 * jar's {@code reference.conf}, every declared option read, and a clear {@link
 * InvalidOptionException} for a bad value. The family contracts ({@link ImageEncoderContract},
 * {@link VLConnectorContract}, {@link DecoderContract}, {@link DataMixerContract}) extend it with
 * the shape and state contracts of their SPI; extend one of those, not this.
 *
 * @param <T> the component type
 * @param <C> the context type
 */
public abstract class ComponentContract<T, C> {

  /** The seed of every context the kit builds, unless a test says otherwise. */
  protected static final long SEED = 7;

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  ComponentContract() {}

  /** The factory under test, new on each call. */
  protected abstract ComponentFactory<T, C> factory();

  /** The family the factory belongs to; fixed by each family contract. */
  protected abstract Family family();

  /** The context the option tests create components in. */
  protected abstract C context();

  /**
   * Option values, in HOCON, merged over the factory's defaults for every test: small sizes that
   * keep the tests fast, or the settings a factory needs (a mixer's source weights). Only keys the
   * defaults declare may be set, as in a run file. Empty by default.
   */
  protected String options() {
    return "";
  }

  /**
   * Values the factory must refuse with {@link InvalidOptionException} naming the option, each
   * merged over {@link #options()}. Give at least one: the range checks are what users meet first.
   */
  protected abstract List<BadOption> badOptions();

  /** The factory's defaults, from its jar's reference.conf. */
  protected final Config defaults() {
    return PluginDefaults.of(family(), factory());
  }

  /** {@link #options()} and then {@code hocon} over the defaults, as the host would merge them. */
  protected final ConfigOptions optionsWith(String hocon) {
    Config merged =
        ConfigFactory.parseString(hocon)
            .withFallback(ConfigFactory.parseString(options()))
            .withFallback(defaults())
            .resolve();
    return new ConfigOptions("mm1." + family().key(), merged);
  }

  /** A component built with {@link #options()} over the defaults, every option read. */
  protected final T create(C context) {
    return create(optionsWith(""), context);
  }

  /** A component built with the given options, which must all be read. */
  protected final T create(ConfigOptions options, C context) {
    T component = factory().create(options, context);
    assertNotNull(component, factory().name() + " returned no component");
    assertTrue(
        options.unreadKeys().isEmpty(),
        factory().name()
            + " never read "
            + options.unreadKeys()
            + "; the host rejects options no one reads, so read every declared option");
    return component;
  }

  @Test
  public void nameIsKebabCase() {
    String name = factory().name();
    assertTrue(
        name != null && NAME.matcher(name).matches(),
        "name '" + name + "' must be kebab-case: lower-case letters, digits and single dashes");
  }

  @Test
  public void defaultsArePresentInTheFactorysOwnReferenceConf() {
    assertNotNull(defaults());
  }

  @Test
  public void optionsSetOnlyDeclaredKeys() {
    Config defaults = defaults();
    for (Map.Entry<String, ConfigValue> entry : ConfigFactory.parseString(options()).entrySet()) {
      assertTrue(
          defaults.hasPathOrNull(entry.getKey()) || insideOpenSection(defaults, entry.getKey()),
          "options() sets '"
              + entry.getKey()
              + "', which "
              + PluginDefaults.path(family(), factory().name())
              + " does not declare; the host would reject it");
    }
  }

  @Test
  public void everyDeclaredOptionIsRead() {
    ConfigOptions options = optionsWith("");
    factory().create(options, context());
    assertEquals(
        List.of(),
        List.copyOf(options.unreadKeys()),
        "declared in reference.conf but never read by create(); the host rejects such options");
  }

  @Test
  public void badOptionsAreRefusedWithInvalidNamingTheOption() {
    List<BadOption> bad = badOptions();
    assertFalse(bad.isEmpty(), "badOptions() must name at least one value the factory refuses");
    for (BadOption option : bad) {
      ConfigOptions options = optionsWith(option.key() + " = " + option.value());
      try {
        factory().create(options, context());
        fail(option + " was accepted; refuse it with options.invalid(key, what to change)");
      } catch (InvalidOptionException e) {
        assertEquals(
            option.key(), e.key(), option + " was refused for another option: " + e.getMessage());
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), option + ": no message");
        assertTrue(
            e.getMessage().contains(option.messageContains()),
            option + ": message '" + e.getMessage() + "' lacks '" + option.messageContains() + "'");
      } catch (RuntimeException e) {
        fail(
            option
                + " threw "
                + e
                + "; throw options.invalid(key, message) instead, so the user sees the option, its"
                + " file and line",
            e);
      }
    }
  }

  /** Whether a key lies inside a section whose default is empty: a map of the user's names. */
  private static boolean insideOpenSection(Config defaults, String key) {
    List<String> parts = com.typesafe.config.ConfigUtil.splitPath(key);
    for (int i = parts.size() - 1; i >= 1; i--) {
      String prefix = com.typesafe.config.ConfigUtil.joinPath(parts.subList(0, i));
      if (defaults.hasPath(prefix)) {
        ConfigValue value = defaults.getValue(prefix);
        return value instanceof com.typesafe.config.ConfigObject configObject
            && configObject.isEmpty();
      }
    }
    return false;
  }
}
