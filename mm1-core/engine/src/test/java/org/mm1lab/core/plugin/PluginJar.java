package org.mm1lab.core.plugin;

import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.mm1lab.api.Mm1Plugin;

/**
 * Writes a plugin jar the way a third party builds one: Java sources compiled with javax.tools
 * against mm1-api (and DJL's API) alone, packed with a service file and a reference.conf. Classes
 * can be compiled but left out of the jar, to make a jar with a missing class.
 */
public final class PluginJar {

  private final String fileName;
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<String> services = new ArrayList<>();
  private final List<String> omitted = new ArrayList<>();
  private final List<Path> classpath = new ArrayList<>();
  private String reference;

  private PluginJar(String fileName) {
    this.fileName = fileName;
  }

  /** A jar to be written as {@code fileName}. */
  public static PluginJar named(String fileName) {
    return new PluginJar(fileName);
  }

  /** A Java source file, by fully qualified class name. */
  public PluginJar source(String className, String javaSource) {
    sources.put(className, javaSource);
    return this;
  }

  /** Lists a provider class in {@code META-INF/services/org.mm1lab.api.Mm1Plugin}. */
  public PluginJar service(String providerClassName) {
    services.add(providerClassName);
    return this;
  }

  /** The jar's {@code reference.conf}. */
  public PluginJar reference(String hocon) {
    this.reference = hocon;
    return this;
  }

  /** Compiles the class but leaves it (and its nested classes) out of the jar. */
  public PluginJar omit(String className) {
    omitted.add(className);
    return this;
  }

  /** Another jar to compile against (a library the plugin uses, packed elsewhere). */
  public PluginJar compileAgainst(Path jar) {
    classpath.add(jar);
    return this;
  }

  /** Compiles and writes the jar into {@code dir} (created if needed); returns its path. */
  public Path writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      Path work =
          Files.createTempDirectory(dir.getParent() == null ? dir : dir.getParent(), "javac");
      Path src = Files.createDirectories(work.resolve("src"));
      Path classes = Files.createDirectories(work.resolve("classes"));
      List<String> args = new ArrayList<>();
      args.add("-classpath");
      List<String> path = new ArrayList<>();
      path.add(locationOf(Mm1Plugin.class));
      path.add(locationOf(Block.class));
      classpath.forEach(jar -> path.add(jar.toString()));
      args.add(String.join(java.io.File.pathSeparator, path));
      args.add("-d");
      args.add(classes.toString());
      args.add("-nowarn");
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue());
        args.add(file.toString());
      }
      if (!sources.isEmpty()) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = compiler.run(null, null, errors, args.toArray(String[]::new));
        if (status != 0) {
          throw new IllegalStateException(
              "plugin sources do not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
      }
      Path jar = dir.resolve(fileName);
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> files = Files.walk(classes)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          String entry = classes.relativize(file).toString().replace('\\', '/');
          if (isOmitted(entry)) {
            continue;
          }
          out.putNextEntry(new JarEntry(entry));
          Files.copy(file, out);
          out.closeEntry();
        }
        if (!services.isEmpty()) {
          put(
              out,
              "META-INF/services/org.mm1lab.api.Mm1Plugin",
              String.join("\n", services) + "\n");
        }
        if (reference != null) {
          put(out, "reference.conf", reference);
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean isOmitted(String entry) {
    for (String className : omitted) {
      String base = className.replace('.', '/');
      if (entry.equals(base + ".class") || entry.startsWith(base + "$")) {
        return true;
      }
    }
    return false;
  }

  private static String locationOf(Class<?> type) {
    return PluginRegistry.locationOf(type).toString();
  }

  private static void put(JarOutputStream out, String name, String text) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }

  /**
   * The source of a plugin class {@code pkg.Plugin} with one connector factory named {@code name}
   * whose connector is a pass-through block of {@code tokens} tokens of the decoder's width.
   *
   * @param pkg the package of the plugin's classes
   * @param name the connector's configuration name
   * @param factoryBody extra statements run when the factory is constructed (to break it)
   * @param apiVersion the API version the plugin declares, normally {@code Mm1Api.VERSION}
   */
  public static String connectorPlugin(
      String pkg, String name, String factoryBody, String apiVersion) {
    return String.join(
        "\n",
        "package " + pkg + ";",
        "import ai.djl.ndarray.NDList;",
        "import ai.djl.ndarray.types.Shape;",
        "import ai.djl.nn.AbstractBlock;",
        "import ai.djl.training.ParameterStore;",
        "import ai.djl.util.PairList;",
        "import java.util.List;",
        "import org.mm1lab.api.*;",
        "public final class Plugin implements Mm1Plugin {",
        "  @Override public String apiVersion() { return " + apiVersion + "; }",
        "  @Override public List<VLConnectorFactory> connectors() {",
        "    return List.of(new Factory());",
        "  }",
        "  static final class Factory implements VLConnectorFactory {",
        "    Factory() { " + factoryBody + " }",
        "    @Override public String name() { return \"" + name + "\"; }",
        "    @Override public String description() { return describe(); }",
        "    @Override public VLConnector create(Options o, ConnectorContext c) {",
        "      return new Connector(o.getInt(\"tokens\"), c.decoderWidth());",
        "    }",
        "  }",
        "  static String describe() { return \"a test connector\"; }",
        "  static final class Connector extends AbstractBlock implements VLConnector {",
        "    private final int tokens;",
        "    private final int width;",
        "    Connector(int tokens, int width) { this.tokens = tokens; this.width = width; }",
        "    @Override public int tokens() { return tokens; }",
        "    @Override public int outputWidth() { return width; }",
        "    @Override protected NDList forwardInternal(ParameterStore p, NDList in, boolean t,",
        "        PairList<String, Object> params) { return in; }",
        "    @Override public Shape[] getOutputShapes(Shape[] in) {",
        "      return new Shape[] {new Shape(in[0].get(0), tokens, width)};",
        "    }",
        "  }",
        "}");
  }

  /** {@link #connectorPlugin} with the current API version and nothing broken. */
  public static String connectorPlugin(String pkg, String name) {
    return connectorPlugin(pkg, name, "", "Mm1Api.VERSION");
  }

  /** The defaults of a {@link #connectorPlugin}: one option, {@code tokens}. */
  public static String connectorDefaults(String name, int tokens) {
    return "mm1-plugin-defaults.connector." + name + " { tokens = " + tokens + " }\n";
  }

  /** A complete plugin jar with one working connector, {@code pkg.Plugin}. */
  public static PluginJar connector(String fileName, String pkg, String name, int tokens) {
    return named(fileName)
        .source(pkg + ".Plugin", connectorPlugin(pkg, name))
        .service(pkg + ".Plugin")
        .reference(connectorDefaults(name, tokens));
  }
}
