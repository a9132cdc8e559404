package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

/** Grid files: strict reading, the axes' product, listed variants, seeds, names and baselines. */
class AblationGridTest {

  @TempDir Path dir;

  @BeforeEach
  void base() throws IOException {
    Files.createDirectories(dir.resolve("grids"));
    Files.writeString(dir.resolve("base.conf"), "mm1 { name = base }\n");
  }

  private AblationGrid grid(String body) throws IOException {
    Path file = dir.resolve("grids").resolve("grid.conf");
    Files.writeString(file, body);
    return GridReader.read(file);
  }

  private String file() {
    return dir.resolve("grids").resolve("grid.conf").toString();
  }

  private static List<String> names(List<Variant> runs) {
    return runs.stream().map(Variant::name).toList();
  }

  @Test
  void theProductOfTheAxesTimesTheSeedsSeedBySeed() throws IOException {
    AblationGrid grid =
        grid(
            String.join(
                "\n",
                "ablation {",
                "  name = connectors",
                "  base = \"../base.conf\"",
                "  set { \"mm1.train.steps\" = 300 }",
                "  axes {",
                "    \"mm1.model.connector.type\" = [avg-pool, attention-pool, c-abstractor]",
                "    \"mm1.model.connector.tokens\" = [16, 64]",
                "  }",
                "  seeds = [1, 2]",
                "}"));
    assertEquals(dir.resolve("base.conf"), grid.base(), "base is relative to the grid file");
    List<Variant> runs = GridExpansion.expand(grid);
    assertEquals(
        List.of(
            "avg-pool_tokens-16_seed-1",
            "avg-pool_tokens-64_seed-1",
            "attention-pool_tokens-16_seed-1",
            "attention-pool_tokens-64_seed-1",
            "c-abstractor_tokens-16_seed-1",
            "c-abstractor_tokens-64_seed-1",
            "avg-pool_tokens-16_seed-2",
            "avg-pool_tokens-64_seed-2",
            "attention-pool_tokens-16_seed-2",
            "attention-pool_tokens-64_seed-2",
            "c-abstractor_tokens-16_seed-2",
            "c-abstractor_tokens-64_seed-2"),
        names(runs));
    Variant v = runs.get(5);
    assertEquals("c-abstractor_tokens-64", v.group());
    assertEquals(1L, v.seed());
    assertEquals(Map.of("type", "c-abstractor", "tokens", "64"), v.levels());
    assertEquals(
        List.of(
            "mm1.seed=1",
            "mm1.name=\"c-abstractor_tokens-64_seed-1\"",
            "mm1.train.steps=300",
            "mm1.model.connector.type=\"c-abstractor\"",
            "mm1.model.connector.tokens=64"),
        v.overrides().stream().map(GridOverride::describe).toList());
    assertEquals(file() + ":7", v.overrides().get(4).origin());
    // Without a baseline the first variant is the baseline.
    assertEquals("avg-pool_tokens-16", AblationPlan.of(grid, runs).baseline());
  }

  @Test
  void listedVariantsFollowTheProductAndSectionsReplaceBeforeInnerSettings() throws IOException {
    AblationGrid grid =
        grid(
            String.join(
                "\n",
                "ablation {",
                "  base = \"../base.conf\"",
                "  set { \"mm1.model.connector.tokens\" = 16 }",
                "  axes {",
                "    \"mm1.model.connector\" = [{type = avg-pool}, {type = c-abstractor, depth ="
                    + " 1}]",
                "  }",
                "  variants {",
                "    linear { \"mm1.model.connector\" = { type = linear } }",
                "    no-text { \"mm1.data.mix.sources\" = { captioned = 1, interleaved = 1 } }",
                "  }",
                "  baseline = no-text",
                "}"));
    assertEquals("grid", grid.name(), "the name defaults to the file's");
    List<Variant> runs = GridExpansion.expand(grid);
    assertEquals(List.of("avg-pool", "c-abstractor", "linear", "no-text"), names(runs));
    assertNull(runs.get(0).seed());
    // The common tokens setting is applied after the section that would otherwise wipe it.
    com.typesafe.config.Config applied =
        Overrides.apply(
            com.typesafe.config.ConfigFactory.parseString(
                "mm1.model.connector { type = c-abstractor, tokens = 64, hidden = 8 }"),
            runs.get(1).overrides());
    assertEquals(16, applied.getInt("mm1.model.connector.tokens"));
    assertEquals(1, applied.getInt("mm1.model.connector.depth"));
    assertTrue(!applied.hasPath("mm1.model.connector.hidden"), "the section was replaced");
    assertEquals("no-text", AblationPlan.of(grid, runs).baseline());
  }

  @Test
  void namedAxesAndAmbiguousLabelsAndABaselinePoint() throws IOException {
    AblationGrid grid =
        grid(
            String.join(
                "\n",
                "ablation {",
                "  base = \"../base.conf\"",
                "  axes {",
                "    \"mm1.model.encoder.width\" = [32, 64]",
                "    \"mm1.model.decoder.width\" = [64]",
                "    mix {",
                "      caption-heavy { \"mm1.data.mix.sources\" = { captioned = 9, text = 1 } }",
                "      balanced { \"mm1.data.mix.sources\" = { captioned = 1, text = 1 } }",
                "    }",
                "  }",
                "  seeds = [7]",
                "  baseline = { \"mm1.model.encoder.width\" = 64,"
                    + " \"mm1.model.decoder.width\" = 64, mix = balanced }",
                "}"));
    List<Variant> runs = GridExpansion.expand(grid);
    assertEquals(
        List.of(
            "encoder.width-32_decoder.width-64_mix-caption-heavy_seed-7",
            "encoder.width-32_decoder.width-64_mix-balanced_seed-7",
            "encoder.width-64_decoder.width-64_mix-caption-heavy_seed-7",
            "encoder.width-64_decoder.width-64_mix-balanced_seed-7"),
        names(runs));
    assertEquals("encoder.width-64_decoder.width-64_mix-balanced", grid.baseline());
    for (Variant v : runs) {
      assertTrue(VariantNames.SAFE.matcher(v.name().replace("_", "")).matches(), v.name());
    }
  }

  @Test
  void everyProblemIsOneLineWithFileAndLine() throws IOException {
    UserException e =
        assertThrows(
            UserException.class,
            () ->
                grid(
                    String.join(
                        "\n",
                        "ablation {",
                        "  base = \"../base.conf\"",
                        "  axis { }",
                        "  set { mm1.train.steps = 3 }",
                        "  axes { \"mm1.model.connector.tokens\" = 16 }",
                        "  seeds = [1, 1.5]",
                        "  baseline = nothing",
                        "}",
                        "extra = 1")));
    List<String> problems = e.problems();
    assertTrue(
        problems.contains(
            "extra ("
                + file()
                + ":9): unknown key; a grid file keeps everything under ablation { }"),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.startsWith(
                        "ablation.axis (" + file() + ":3): unknown key; did you mean axes?")),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.startsWith(
                        "ablation.set.mm1 ("
                            + file()
                            + ":4): expected a config path under mm1 in quotes")),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.startsWith(
                        "ablation.axes.\"mm1.model.connector.tokens\" ("
                            + file()
                            + ":5): expected a list")),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                p -> p.startsWith("ablation.seeds (" + file() + ":6): expected a whole number")),
        problems.toString());
    assertEquals(5, problems.size(), problems.toString());
  }

  @Test
  void aBaselineMustBeAVariant() throws IOException {
    UserException e =
        assertThrows(
            UserException.class,
            () ->
                grid(
                    "ablation { base = \"../base.conf\"\n"
                        + " axes { \"mm1.model.connector.tokens\" = [16, 64] }\n"
                        + " baseline = tokens-61 }"));
    assertEquals(
        List.of(
            "ablation.baseline ("
                + file()
                + ":3): no variant is named 'tokens-61'; did you mean"
                + " tokens-16?; variants: tokens-16, tokens-64"),
        e.problems());
    UserException missingBase =
        assertThrows(UserException.class, () -> grid("ablation { base = nowhere.conf }"));
    assertTrue(
        missingBase
            .problems()
            .get(0)
            .startsWith("ablation.base (" + file() + ":1): the base run file"),
        missingBase.problems().toString());
  }
}
