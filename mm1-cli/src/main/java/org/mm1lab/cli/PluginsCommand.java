package org.mm1lab.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mm1lab.api.Family;
import org.mm1lab.core.plugin.DiscoveredFactory;
import org.mm1lab.core.plugin.LoadedPlugins;
import org.mm1lab.core.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mm1 plugins}: every discovered factory with its jar and its options' defaults, the
 * built-ins and those in {@code --plugins} folders; plugins that cannot be used are warnings.
 */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    description = {
      "List every plugin factory: family, name, the jar it came from, and its options with"
          + " defaults.",
      "With --plugins DIR, the plugins in DIR too; each one that cannot be used is a warning line."
    })
final class PluginsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--family",
      paramLabel = "FAMILY",
      description = "Only this family: ${COMPLETION-CANDIDATES}.")
  Family family;

  @Override
  public void run() {
    LoadedPlugins loaded = Plugins.load(spec);
    PluginRegistry registry = loaded.registry();
    Config reference = loaded.reference();
    PrintWriter out = spec.commandLine().getOut();
    for (Family each : Family.values()) {
      if (family != null && family != each) {
        continue;
      }
      Map<String, DiscoveredFactory> factories = registry.factories(each);
      out.printf("%s (%s): %d%n", each.key(), each.displayName(), factories.size());
      for (DiscoveredFactory factory : factories.values()) {
        out.printf("  %s  [%s]%n", factory.name(), factory.source());
        String description = factory.factory().description();
        if (!description.isBlank()) {
          out.printf("      %s%n", description);
        }
        printOptions(out, reference, factory);
      }
      out.println();
    }
  }

  private static void printOptions(PrintWriter out, Config reference, DiscoveredFactory factory) {
    if (!reference.hasPath(factory.defaultsPath())) {
      out.println("      (no options)");
      return;
    }
    Map<String, ConfigValue> options = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry :
        reference.getConfig(factory.defaultsPath()).entrySet()) {
      options.put(entry.getKey(), entry.getValue());
    }
    // Open sections ({} by default) have no leaves; show them too.
    for (Map.Entry<String, ConfigValue> entry :
        reference.getConfig(factory.defaultsPath()).root().entrySet()) {
      if (entry.getValue() instanceof com.typesafe.config.ConfigObject
          && ((com.typesafe.config.ConfigObject) entry.getValue()).isEmpty()) {
        options.put(entry.getKey(), entry.getValue());
      }
    }
    for (Map.Entry<String, ConfigValue> entry : options.entrySet()) {
      String value = entry.getValue().render(ConfigRenderOptions.concise());
      List<String> comments = entry.getValue().origin().comments();
      String comment = comments.isEmpty() ? "" : "  # " + String.join(" ", comments).trim();
      out.printf("      %s = %s%s%n", entry.getKey(), value, comment);
    }
  }
}
