package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;
import org.mm1lab.core.plugin.PluginJar;
import org.mm1lab.core.testplugin.RunFiles;

/**
 * {@code --plugins} and {@code mm1.plugins.dirs} through the real command line, in process: what a
 * user sees for a working folder plugin and for each kind of broken one.
 */
class PluginFoldersTest {

  private static final String CONNECTOR = "connector { type = stand-in-connector }";

  @TempDir Path dir;

  /** Exit 2, exactly one line on stderr, an error, no stack trace; returns the line. */
  private static String oneLineError(Result result) {
    assertEquals(2, result.status(), result.err());
    assertEquals(1, result.err().lines().count(), result.err());
    assertEquals(1, result.errorLines().size(), result.err());
    assertFalse(result.err().contains("\tat "), result.err());
    return result.errorLines().get(0);
  }

  private Path plugins() throws Exception {
    return Files.createDirectories(dir.resolve("plugins"));
  }

  /** The stand-in run with its connector replaced by {@code type} (with a tokens option). */
  private String runWithConnector(String type) {
    return RunFiles.write(
            dir,
            "run.conf",
            RunFiles.standInRunWith(CONNECTOR, "connector { type = " + type + ", tokens = 16 }"))
        .toString();
  }

  private String standInRun() {
    return RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN).toString();
  }

  private void brokenJar(Path folder) {
    PluginJar.named("broken.jar")
        .source(
            "broken.Helper", "package broken; public final class Helper { static void init() {} }")
        .source(
            "broken.Plugin",
            PluginJar.connectorPlugin(
                "broken", "broken-connector", "Helper.init();", "Mm1Api.VERSION"))
        .omit("broken.Helper")
        .service("broken.Plugin")
        .reference(PluginJar.connectorDefaults("broken-connector", 16))
        .writeTo(folder);
  }

  @Test
  void aFolderPluginValidatesAndIsListedWithItsJar() throws Exception {
    Path folder = plugins();
    Path jar = PluginJar.connector("extra.jar", "extra", "extra-connector", 16).writeTo(folder);

    Result validate =
        mm1(
            "config",
            "validate",
            runWithConnector("extra-connector"),
            "--plugins",
            folder.toString());
    assertEquals(0, validate.status(), validate.err());
    assertTrue(validate.out().contains("connector extra-connector"), validate.out());

    Result before = mm1("--plugins", folder.toString(), "plugins", "--family", "CONNECTOR");
    assertEquals(0, before.status(), before.err());
    assertTrue(before.out().contains("extra-connector  [" + jar + "]"), before.out());
    assertTrue(before.out().contains("tokens = 16"), before.out());
  }

  @Test
  void theRunFileCanNameTheFolderRelativeToItself() throws Exception {
    PluginJar.connector("extra.jar", "extra", "extra-connector", 16).writeTo(plugins());
    String run =
        RunFiles.write(
                dir,
                "run.conf",
                RunFiles.standInRunWith(CONNECTOR, "connector { type = extra-connector }")
                    .replace("name = test", "name = test\n  plugins.dirs = [plugins]"))
            .toString();
    Result result = mm1("config", "validate", run);
    assertEquals(0, result.status(), result.err());
    // Named twice (file and command line): read once, so no duplicate names.
    Result twice = mm1("config", "validate", run, "--plugins", dir.resolve("plugins").toString());
    assertEquals(0, twice.status(), twice.err());
    assertEquals("", twice.err());
  }

  @Test
  void aJarWithAMissingClassIsOneLineWhenUsedAndAWarningOtherwise() throws Exception {
    Path folder = plugins();
    brokenJar(folder);

    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                runWithConnector("broken-connector"),
                "--plugins",
                folder.toString()));
    assertTrue(
        line.contains(
            "connector 'broken-connector' is unavailable: plugin broken.Plugin in "
                + folder.resolve("broken.jar")),
        line);
    assertTrue(line.contains("class broken.Helper is missing"), line);

    Result unused = mm1("config", "validate", standInRun(), "--plugins", folder.toString());
    assertEquals(0, unused.status(), unused.err());
    assertEquals(List.of(), unused.errorLines());
    assertEquals(1, unused.warningLines().size(), unused.err());
    assertTrue(unused.warningLines().get(0).contains(folder.resolve("broken.jar").toString()));
    assertTrue(unused.warningLines().get(0).endsWith("(skipped; this run does not use it)"));
  }

  @Test
  void aFactoryThatThrowsWhenConstructedIsOneLine() throws Exception {
    Path folder = plugins();
    PluginJar.named("throws.jar")
        .source(
            "throws_.Plugin",
            PluginJar.connectorPlugin(
                "throws_",
                "throwing-connector",
                "throw new IllegalStateException(\"no licence\");",
                "Mm1Api.VERSION"))
        .service("throws_.Plugin")
        .reference(PluginJar.connectorDefaults("throwing-connector", 16))
        .writeTo(folder);
    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                runWithConnector("throwing-connector"),
                "--plugins",
                folder.toString()));
    assertTrue(line.contains(folder.resolve("throws.jar").toString()), line);
    assertTrue(line.contains("IllegalStateException: no licence"), line);
  }

  @Test
  void twoFactoriesWithOneNameAreOneLineNamingBothJars() throws Exception {
    Path folder = plugins();
    PluginJar.connector("first.jar", "first", "twin-connector", 16).writeTo(folder);
    PluginJar.connector("second.jar", "second", "twin-connector", 16).writeTo(folder);
    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                runWithConnector("twin-connector"),
                "--plugins",
                folder.toString()));
    assertTrue(line.contains("two connector factories are named 'twin-connector'"), line);
    assertTrue(line.contains(folder.resolve("first.jar").toString()), line);
    assertTrue(line.contains(folder.resolve("second.jar").toString()), line);
  }

  @Test
  void aPluginForAnotherApiMajorIsOneLine() throws Exception {
    Path folder = plugins();
    PluginJar.named("future.jar")
        .source(
            "future.Plugin", PluginJar.connectorPlugin("future", "future-connector", "", "\"2.0\""))
        .service("future.Plugin")
        .reference(PluginJar.connectorDefaults("future-connector", 16))
        .writeTo(folder);
    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                runWithConnector("future-connector"),
                "--plugins",
                folder.toString()));
    assertTrue(line.contains(folder.resolve("future.jar").toString()), line);
    assertTrue(line.contains("needs MM1 API 2.0 but this host provides 1.0"), line);
  }

  @Test
  void aFolderThatDoesNotExistOrHoldsNoJarIsOneLine() throws Exception {
    Path missing = dir.resolve("nowhere");
    String line =
        oneLineError(mm1("config", "validate", standInRun(), "--plugins", missing.toString()));
    assertEquals(
        "mm1: error: --plugins "
            + missing
            + ": "
            + missing
            + " does not exist; name a folder of plugin jars (built with mvn package, say)",
        line);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String none = oneLineError(mm1("--plugins", empty.toString(), "plugins"));
    assertTrue(none.contains(empty + " holds no plugin jar"), none);

    String fromFile =
        oneLineError(
            mm1(
                "config",
                "validate",
                RunFiles.write(
                        dir,
                        "run.conf",
                        RunFiles.STAND_IN_RUN.replace(
                            "name = test", "name = test\n  plugins.dirs = [gone]"))
                    .toString()));
    assertTrue(
        fromFile.startsWith(
            "mm1: error: mm1.plugins.dirs (" + dir.resolve("run.conf") + ":3) 'gone': "),
        fromFile);
  }

  @Test
  void pluginsListsBrokenPluginsAsWarningsAndTheRestAsUsual() throws Exception {
    Path folder = plugins();
    brokenJar(folder);
    Result result = mm1("plugins", "--plugins", folder.toString());
    assertEquals(0, result.status(), result.err());
    assertEquals(1, result.warningLines().size(), result.err());
    assertTrue(result.out().contains("stand-in-connector"), result.out());
  }
}
