package org.mm1lab.toolkit.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.InvalidOptionException;

/** The rules every factory's options follow, in the host and in the test kit alike. */
class ConfigOptionsTest {

  private enum Pooling {
    AVERAGE,
    ROUND_ROBIN
  }

  @Test
  void readsEveryTypeAndRecordsWhatWasRead() {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.connector",
            "type = mlp, tokens = 64, lr = 1e-3, gate = yes, name = \"a b\", sizes = [1, 2],"
                + " scales = [0.5, 2], tags = [x, y], sources { text = 10, captioned = 45 },"
                + " pooling = round-robin, quoted = \"8\", unused = 1");
    assertEquals(64, options.getInt("tokens"));
    assertEquals(1e-3, options.getDouble("lr"));
    assertTrue(options.getBoolean("gate"));
    assertEquals("a b", options.getString("name"));
    assertEquals(List.of(1, 2), options.getIntList("sizes"));
    assertEquals(List.of(0.5, 2.0), options.getDoubleList("scales"));
    assertEquals(List.of("x", "y"), options.getStringList("tags"));
    assertEquals(Map.of("captioned", 45.0, "text", 10.0), options.getNumberMap("sources"));
    assertEquals(Pooling.ROUND_ROBIN, options.getEnum(Pooling.class, "pooling"));
    assertEquals(8, options.getInt("quoted"));
    assertEquals(Set.of("unused"), options.unreadKeys());
    assertTrue(options.readKeys().contains("sources.text"));
    assertFalse(options.keys().contains("type"));
  }

  @Test
  void problemsNameTheKeyAndSayWhatWasExpected() {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.decoder", "width = wide, depth = 2.5, heads = {a = 1}, mode = avrage");
    InvalidOptionException wide =
        assertThrows(InvalidOptionException.class, () -> options.getInt("width"));
    assertEquals("width", wide.key());
    assertEquals("expected an integer, got \"wide\"", wide.getMessage());
    assertEquals(
        "expected an integer, got 2.5",
        assertThrows(InvalidOptionException.class, () -> options.getLong("depth")).getMessage());
    assertEquals(
        "expected a string, got a section { ... }",
        assertThrows(InvalidOptionException.class, () -> options.getString("heads")).getMessage());
    assertTrue(
        assertThrows(InvalidOptionException.class, () -> options.getInt("layers"))
            .getMessage()
            .startsWith("is missing"));
    assertEquals(
        "'avrage' is not one of average, round-robin; did you mean average?",
        assertThrows(InvalidOptionException.class, () -> options.getEnum(Pooling.class, "mode"))
            .getMessage());
  }

  @Test
  void describesItselfByPathAndContent() {
    assertEquals("mm1.data.mix {\"a\":1}", ConfigOptions.parse("mm1.data.mix", "a = 1").toString());
  }
}
