package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.run.RunTraining;

/**
 * Every built-in encoder, connector and decoder trains in a multimodal run selected by one line of
 * config, and the swap changes nothing but that component's section.
 */
class ComponentSwapTest {

  private static final String BASE =
      String.join(
          "\n",
          "mm1 {",
          "  name = swap",
          "  model {",
          "    encoder { type = clip-vit, image-size = 32, patch-size = 8, width = 32, layers = 1, heads = 2 }",
          "    connector { type = avg-pool, tokens = 4 }",
          "    decoder { type = dense, width = 48, layers = 2, heads = 2, kv-heads = 2, ffn = 96 }",
          "  }",
          "  data.mix { type = weighted, sources { captioned = 2, interleaved = 1, text = 1 } }",
          "  train { steps = 24, batch-size = 4, seq-len = 64, lr = 3e-3, warmup = 4, log-every = 1 }",
          "}",
          "");

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(ComponentSwapTest.class.getClassLoader());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "connector { type = avg-pool, tokens = 4 }",
        "connector { type = attention-pool, tokens = 4 }",
        "connector { type = c-abstractor, tokens = 4, depth = 1 }",
        "connector { type = linear }",
        "connector { type = mlp }",
        "decoder { type = moe, width = 48, layers = 2, heads = 2, kv-heads = 2, ffn = 96, experts = 4 }",
        "encoder { type = aim-vit, image-size = 32, patch-size = 8, width = 32, layers = 1, heads = 2 }"
      })
  void eachComponentTrainsByChangingOneLine(String line) throws IOException {
    String family = line.substring(0, line.indexOf(' '));
    String text = BASE.replaceFirst("    " + family + " \\{[^\\n]*\\}", "    " + line);
    assertTrue(text.contains(line), text);
    Path runFile = dir.resolve("run.conf");
    Files.writeString(runFile, text);

    // Only the swapped component's section differs from the base run's resolved configuration.
    Path baseFile = dir.resolve("base.conf");
    Files.writeString(baseFile, BASE);
    Map<String, String> base = leaves(assembly.load(baseFile, List.of()));
    Map<String, String> swapped = leaves(assembly.load(runFile, List.of()));
    List<String> differing = new ArrayList<>();
    for (String key : union(base, swapped)) {
      if (!String.valueOf(base.get(key)).equals(String.valueOf(swapped.get(key)))) {
        differing.add(key);
      }
    }
    assertTrue(
        differing.stream().allMatch(k -> k.startsWith("mm1.model." + family + ".")),
        "only mm1.model." + family + " differs: " + differing);

    Path out = dir.resolve("run");
    RunTraining.Result result =
        new RunTraining(
                assembly,
                new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                false)
            .train(runFile, List.of(), out);
    assertEquals(24, result.outcome().step());
    List<Double> losses = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      losses.add(JsonParser.parseString(l).getAsJsonObject().get("loss").getAsDouble());
    }
    double first = losses.subList(0, 4).stream().mapToDouble(d -> d).average().orElseThrow();
    double last = losses.subList(20, 24).stream().mapToDouble(d -> d).average().orElseThrow();
    assertTrue(last < 0.85 * first, line + ": loss falls from " + first + " to " + last);
    if (line.contains("moe")) {
      String lastLine = Files.readAllLines(out.resolve("metrics.jsonl")).get(23);
      var record = JsonParser.parseString(lastLine).getAsJsonObject();
      assertTrue(record.getAsJsonObject("aux").has("load-balance"), lastLine);
      assertEquals(4, record.getAsJsonArray("expert-load").size(), lastLine);
    }
  }

  private static Map<String, String> leaves(RunConfig config) {
    Map<String, String> out = new TreeMap<>();
    config.settings().forEach(s -> out.put(s.path(), s.value()));
    return out;
  }

  private static java.util.SortedSet<String> union(Map<String, ?> a, Map<String, ?> b) {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }
}
