package org.mm1lab.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.Family;
import org.mm1lab.core.UserException;

/** Loading plugins from the folders a user names: class loaders, defaults and failures. */
class PluginLoaderTest {

  @TempDir Path dir;

  private LoadedPlugins load(Path... folders) {
    return new PluginLoader(getClass().getClassLoader())
        .load(java.util.Arrays.stream(folders).map(PluginLocation::commandLine).toList());
  }

  private Path plugins() throws Exception {
    return Files.createDirectories(dir.resolve("plugins"));
  }

  @Test
  void aJarInANamedFolderAddsItsFactoriesAndDefaults() throws Exception {
    Path folder = plugins();
    Path jar =
        PluginJar.connector("folder-plugin.jar", "folder", "folder-connector", 9).writeTo(folder);

    LoadedPlugins loaded = load(folder);

    DiscoveredFactory found =
        loaded.registry().find(Family.CONNECTOR, "folder-connector").orElseThrow();
    assertEquals(jar.toString(), found.source(), "mm1 plugins shows the jar's path");
    assertEquals(9, loaded.reference().getInt(found.defaultsPath() + ".tokens"));
    assertTrue(loaded.registry().problems().isEmpty(), loaded.registry().problems().toString());
    // The class path's plugins are still there, and the core's defaults too.
    assertTrue(loaded.registry().find(Family.CONNECTOR, "stand-in-connector").isPresent());
    assertEquals(7, loaded.reference().getInt("mm1.seed"));
  }

  @Test
  void pluginsLoadOnlyFromNamedFolders() throws Exception {
    PluginJar.connector("unnamed.jar", "unnamed", "unnamed-connector", 4).writeTo(plugins());
    LoadedPlugins loaded = load();
    assertTrue(loaded.registry().find(Family.CONNECTOR, "unnamed-connector").isEmpty());
  }

  /**
   * Two plugins bundle different versions of one library class: one as a plugin folder with the
   * library's jar beside the plugin jar, the other with the class inside its jar. Each sees its
   * own; neither sees the host's libraries beyond the API.
   */
  @Test
  void eachPluginSeesItsOwnVersionOfALibraryAndOnlyTheApiOfTheHost() throws Exception {
    Path folder = plugins();
    Path libV1 = library("1.0").writeTo(dir.resolve("lib1"));
    Path pluginA = Files.createDirectories(folder.resolve("plugin-a"));
    Files.copy(libV1, pluginA.resolve("helper-1.0.jar"));
    isolationProbe("plugin-a.jar", "probea", "probe-a").compileAgainst(libV1).writeTo(pluginA);
    PluginJar pluginB =
        isolationProbe("plugin-b.jar", "probeb", "probe-b")
            .source("helper.Version", versionSource("2.0"));
    pluginB.writeTo(folder);

    LoadedPlugins loaded = load(folder);

    assertTrue(loaded.registry().problems().isEmpty(), loaded.registry().problems().toString());
    String a = describe(loaded, "probe-a");
    String b = describe(loaded, "probe-b");
    assertEquals("helper 1.0; api shared: true; djl shared: true; config visible: false", a);
    assertEquals("helper 2.0; api shared: true; djl shared: true; config visible: false", b);
    assertEquals(
        folder.resolve("plugin-a").resolve("plugin-a.jar").toString(),
        loaded.registry().find(Family.CONNECTOR, "probe-a").orElseThrow().source());
  }

  @Test
  void aMissingClassIsAProblemNamingTheJarAndTheOtherPluginsStillLoad() throws Exception {
    Path folder = plugins();
    PluginJar.named("broken.jar")
        .source(
            "broken.Helper", "package broken; public final class Helper { static void init() {} }")
        .source(
            "broken.Plugin",
            PluginJar.connectorPlugin(
                "broken", "broken-connector", "Helper.init();", "Mm1Api.VERSION"))
        .omit("broken.Helper")
        .service("broken.Plugin")
        .reference(PluginJar.connectorDefaults("broken-connector", 4))
        .writeTo(folder);
    PluginJar.connector("good.jar", "good", "good-connector", 4).writeTo(folder);

    PluginRegistry registry = load(folder).registry();

    assertTrue(registry.find(Family.CONNECTOR, "good-connector").isPresent());
    assertTrue(registry.find(Family.CONNECTOR, "broken-connector").isEmpty());
    assertEquals(1, registry.problems().size(), registry.problems().toString());
    String message = registry.unavailableReason(Family.CONNECTOR, "broken-connector").orElseThrow();
    assertTrue(message.contains(folder.resolve("broken.jar").toString()), message);
    assertTrue(message.contains("class broken.Helper is missing"), message);
  }

  @Test
  void aMissingPluginClassIsAProblemNamingTheJar() throws Exception {
    Path folder = plugins();
    PluginJar.named("no-class.jar")
        .service("gone.Plugin")
        .reference(PluginJar.connectorDefaults("gone-connector", 4))
        .writeTo(folder);

    PluginRegistry registry = load(folder).registry();

    String message = registry.unavailableReason(Family.CONNECTOR, "gone-connector").orElseThrow();
    assertTrue(message.startsWith("plugin jar " + folder.resolve("no-class.jar")), message);
    assertTrue(message.contains("gone.Plugin"), message);
  }

  @Test
  void aFactoryThatThrowsWhenConstructedMakesOnlyItsPluginUnavailable() throws Exception {
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
        .reference(PluginJar.connectorDefaults("throwing-connector", 4))
        .writeTo(folder);

    PluginRegistry registry = load(folder).registry();

    String message =
        registry.unavailableReason(Family.CONNECTOR, "throwing-connector").orElseThrow();
    assertTrue(message.contains("throws_.Plugin in " + folder.resolve("throws.jar")), message);
    assertTrue(
        message.contains(
            "failed to create its connector factories: java.lang.IllegalStateException: no licence"),
        message);
    assertTrue(registry.find(Family.CONNECTOR, "stand-in-connector").isPresent());
  }

  @Test
  void twoJarsWithOneNameAreBothNamedAndNeitherWins() throws Exception {
    Path folder = plugins();
    PluginJar.connector("first.jar", "first", "twin-connector", 4).writeTo(folder);
    PluginJar.connector("second.jar", "second", "twin-connector", 4).writeTo(folder);

    PluginRegistry registry = load(folder).registry();

    assertTrue(registry.find(Family.CONNECTOR, "twin-connector").isEmpty());
    String message = registry.unavailableReason(Family.CONNECTOR, "twin-connector").orElseThrow();
    assertTrue(message.startsWith("two connector factories are named 'twin-connector': "), message);
    assertTrue(message.contains(folder.resolve("first.jar").toString()), message);
    assertTrue(message.contains(folder.resolve("second.jar").toString()), message);
  }

  @Test
  void aPluginBuiltForAnotherApiMajorIsAProblemNamingTheJar() throws Exception {
    Path folder = plugins();
    PluginJar.named("future.jar")
        .source(
            "future.Plugin", PluginJar.connectorPlugin("future", "future-connector", "", "\"2.0\""))
        .service("future.Plugin")
        .reference(PluginJar.connectorDefaults("future-connector", 4))
        .writeTo(folder);

    PluginRegistry registry = load(folder).registry();

    String message = registry.unavailableReason(Family.CONNECTOR, "future-connector").orElseThrow();
    assertTrue(
        message.contains(
            "future.Plugin in "
                + folder.resolve("future.jar")
                + " needs MM1 API 2.0 but this host provides 1.0"),
        message);
  }

  @Test
  void aFolderThatDoesNotExistOrHoldsNoJarIsAnError() throws Exception {
    Path missing = dir.resolve("nowhere");
    UserException e = assertThrows(UserException.class, () -> load(missing));
    assertEquals(
        List.of(
            "--plugins "
                + missing
                + ": "
                + missing
                + " does not exist; name a folder of plugin jars (built with mvn package, say)"),
        e.problems());

    Path empty = Files.createDirectories(dir.resolve("empty/classes"));
    UserException none = assertThrows(UserException.class, () -> load(empty.getParent()));
    assertTrue(none.problems().get(0).contains("holds no plugin jar"), none.getMessage());
  }

  @Test
  void aJarWithoutAPluginIsAProblemPointingAtSubFolders() throws Exception {
    Path folder = plugins();
    library("1.0").writeTo(folder);
    PluginRegistry registry = load(folder).registry();
    assertEquals(1, registry.unattributedProblems().size());
    assertTrue(
        registry.problems().get(0).message().contains("holds no plugin (no META-INF/services"),
        registry.problems().get(0).message());
  }

  @Test
  void aFolderNamedTwiceIsReadOnce() throws Exception {
    Path folder = plugins();
    PluginJar.connector("once.jar", "once", "once-connector", 4).writeTo(folder);
    LoadedPlugins loaded = load(folder, dir.resolve("plugins/../plugins"));
    assertTrue(loaded.registry().problems().isEmpty(), loaded.registry().problems().toString());
  }

  @Test
  void aPluginsReferenceConfContributesOnlyPluginDefaults() throws Exception {
    Path folder = plugins();
    PluginJar.connector("sneaky.jar", "sneaky", "sneaky-connector", 4)
        .reference(
            PluginJar.connectorDefaults("sneaky-connector", 4) + "mm1.seed = 99\nmm1.extra = 1\n")
        .writeTo(folder);
    LoadedPlugins loaded = load(folder);
    assertEquals(7, loaded.reference().getInt("mm1.seed"));
    assertFalse(loaded.reference().hasPath("mm1.extra"));
  }

  private static String describe(LoadedPlugins loaded, String name) {
    return loaded.registry().find(Family.CONNECTOR, name).orElseThrow().factory().description();
  }

  private static PluginJar library(String version) {
    return PluginJar.named("helper-" + version + ".jar")
        .source("helper.Version", versionSource(version));
  }

  private static String versionSource(String version) {
    return "package helper; public final class Version { public static String get() { return \""
        + version
        + "\"; } }";
  }

  /** A plugin whose connector's description reports what its class loader can see. */
  private static PluginJar isolationProbe(String fileName, String pkg, String name) {
    String describe =
        String.join(
            "\n",
            "  static String describe() {",
            "    return \"helper \" + helper.Version.get()",
            "        + \"; api shared: \" + visibleFromHost(\"org.mm1lab.api.Options\")",
            "        + \"; djl shared: \" + visibleFromHost(\"ai.djl.ndarray.NDArray\")",
            "        + \"; config visible: \" + visible(\"com.typesafe.config.Config\");",
            "  }",
            "  static boolean visible(String name) {",
            "    try { Class.forName(name, false, Plugin.class.getClassLoader()); return true; }",
            "    catch (ClassNotFoundException e) { return false; }",
            "  }",
            "  /** Loaded through the plugin, yet the very class the host's API classes use. */",
            "  static boolean visibleFromHost(String name) {",
            "    try {",
            "      return Class.forName(name, false, Plugin.class.getClassLoader())",
            "          == Class.forName(name, false, Mm1Plugin.class.getClassLoader());",
            "    } catch (ClassNotFoundException e) { return false; }",
            "  }");
    String source =
        PluginJar.connectorPlugin(pkg, name)
            .replace("  static String describe() { return \"a test connector\"; }", describe);
    return PluginJar.named(fileName)
        .source(pkg + ".Plugin", source)
        .service(pkg + ".Plugin")
        .reference(PluginJar.connectorDefaults(name, 4));
  }
}
