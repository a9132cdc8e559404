package org.mm1lab.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.Family;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigSources;
import org.mm1lab.core.testplugin.StandInConnector;
import org.mm1lab.core.testplugin.StandInPlugin;

class PluginRegistryTest {

  @TempDir Path dir;

  @Test
  void discoversFactoriesDeclaredOnlyOnTheTestClassPath() {
    PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());
    DiscoveredFactory connector =
        registry.find(Family.CONNECTOR, "stand-in-connector").orElseThrow();
    assertEquals(Family.CONNECTOR, connector.family());
    assertTrue(connector.source().endsWith("test-classes"), connector.source());
    assertEquals(
        List.of("stand-in-encoder", "stand-in-connector", "stand-in-decoder", "stand-in-mixer"),
        registry.all().stream().map(DiscoveredFactory::name).toList());
  }

  /**
   * The third-party path end to end: a plugin compiled here against mm1-api alone, packed into a
   * jar with its service file and reference.conf, is found through a class loader over that jar.
   */
  @Test
  void discoversAFactoryFromAJarThatDependsOnlyOnTheApi() throws Exception {
    Path jar = buildPluginJar();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      PluginRegistry registry = PluginRegistry.discover(loader);
      DiscoveredFactory found = registry.find(Family.CONNECTOR, "jar-connector").orElseThrow();
      assertEquals("third-party-plugin.jar", found.source());
      assertEquals(7, ConfigSources.referenceFor(loader).getInt(found.defaultsPath() + ".tokens"));
    }
  }

  @Test
  void twoFactoriesWithOneNameAreRefusedNamingBoth() {
    UserException e =
        assertThrows(
            UserException.class,
            () -> PluginRegistry.of(List.of(new StandInPlugin(), new StandInPlugin())));
    assertEquals(4, e.problems().size());
    assertTrue(
        e.problems()
            .get(1)
            .startsWith(
                "two connector factories are named 'stand-in-connector': "
                    + StandInConnector.Factory.class.getName()),
        e.problems().get(1));
  }

  @Test
  void pluginsBuiltForAnotherApiAreRefused() {
    Mm1Plugin future =
        new Mm1Plugin() {
          @Override
          public String apiVersion() {
            return "2.0";
          }
        };
    UserException e = assertThrows(UserException.class, () -> PluginRegistry.of(List.of(future)));
    assertTrue(
        e.getMessage().contains("needs MM1 API 2.0 but this host provides 1.0"), e.getMessage());
    assertEquals(null, PluginRegistry.incompatibility("1.0"));
    assertTrue(PluginRegistry.incompatibility("1.9").contains("needs MM1 API 1.9"));
    assertTrue(PluginRegistry.incompatibility("one").contains("not MAJOR.MINOR"));
  }

  @Test
  void namesMustBeKebabCase() {
    Mm1Plugin badName =
        new Mm1Plugin() {
          @Override
          public String apiVersion() {
            return Mm1Api.VERSION;
          }

          @Override
          public List<VLConnectorFactory> connectors() {
            return List.of(
                new VLConnectorFactory() {
                  @Override
                  public String name() {
                    return "My_Connector";
                  }

                  @Override
                  public org.mm1lab.api.VLConnector create(
                      org.mm1lab.api.Options options, org.mm1lab.api.ConnectorContext context) {
                    throw new AssertionError("never built");
                  }
                });
          }
        };
    UserException e = assertThrows(UserException.class, () -> PluginRegistry.of(List.of(badName)));
    assertTrue(
        e.getMessage().contains("has name 'My_Connector'; names are kebab-case"), e.getMessage());
  }

  private Path buildPluginJar() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/thirdparty"));
    Files.writeString(
        src.resolve("JarPlugin.java"),
        String.join(
            "\n",
            "package thirdparty;",
            "import java.util.List;",
            "import org.mm1lab.api.*;",
            "public final class JarPlugin implements Mm1Plugin {",
            "  @Override public String apiVersion() { return Mm1Api.VERSION; }",
            "  @Override public List<VLConnectorFactory> connectors() {",
            "    return List.of(new VLConnectorFactory() {",
            "      public String name() { return \"jar-connector\"; }",
            "      public VLConnector create(Options o, ConnectorContext c) {",
            "        throw new UnsupportedOperationException(\"discovery only\");",
            "      }",
            "    });",
            "  }",
            "}"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    // Compile against mm1-api alone: the API jar (or class folder) that holds Mm1Plugin.
    String apiPath =
        Path.of(Mm1Plugin.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    int status =
        compiler.run(
            null,
            null,
            null,
            "-classpath",
            apiPath,
            "-d",
            classes.toString(),
            src.resolve("JarPlugin.java").toString());
    assertEquals(0, status, "the plugin compiles against mm1-api alone");

    Path jar = dir.resolve("third-party-plugin.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
      put(out, "META-INF/services/org.mm1lab.api.Mm1Plugin", "thirdparty.JarPlugin\n");
      put(out, "reference.conf", "mm1-plugin-defaults.connector.jar-connector { tokens = 7 }\n");
    }
    return jar;
  }

  private static void put(JarOutputStream out, String name, String text) throws IOException {
    out.putNextEntry(new JarEntry(name));
    OutputStream stream = out;
    stream.write(text.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
