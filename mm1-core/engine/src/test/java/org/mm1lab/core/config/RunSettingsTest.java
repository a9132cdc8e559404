package org.mm1lab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;

class RunSettingsTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(getClass().getClassLoader());

  private RunSettings settings(String... overrides) {
    RunConfig config =
        assembly.load(RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN), List.of(overrides));
    return new RunSettings(config);
  }

  @Test
  void threadsAreAutoByDefaultOrAWholeNumber() {
    assertEquals("auto", settings().threads());
    assertEquals("3", settings("mm1.threads=3").threads());
  }

  @Test
  void badThreadsAreOneLineNamingTheSetting() {
    for (String bad : List.of("banana", "0", "-2", "1.5")) {
      String message =
          assertThrows(UserException.class, () -> settings("mm1.threads=" + bad)).getMessage();
      assertTrue(message.startsWith("mm1.threads"), message);
      assertTrue(message.contains("'" + bad + "' " + ThreadCount.EXPECTED), message);
      assertFalse(message.contains("\n"), message);
    }
  }

  @Test
  void threadCountsParse() {
    assertEquals(OptionalInt.empty(), ThreadCount.parse(" auto "));
    assertEquals(OptionalInt.of(4), ThreadCount.parse("4"));
    assertTrue(ThreadCount.valid("1"));
    assertFalse(ThreadCount.valid("Auto"));
    assertFalse(ThreadCount.valid(""));
    assertThrows(IllegalArgumentException.class, () -> ThreadCount.parse("two"));
  }
}
