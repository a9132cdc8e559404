package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;

/**
 * Grids with encoder pretraining stages over the stand-in plugins: the {@code pretrain} section
 * read strictly, stages shared by identity, and what ablation.json and the run files record.
 */
class EncoderStagesTest {

  @TempDir Path dir;

  @BeforeEach
  void base() throws IOException {
    RunFiles.write(dir, "base.conf", RunFiles.STAND_IN_RUN);
  }

  private Path gridFile(String... lines) throws IOException {
    Path file = dir.resolve("grid.conf");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private AblationSetup.Prepared prepare(String... lines) throws IOException {
    return new AblationSetup(new Assembly(getClass().getClassLoader()))
        .prepare(gridFile(lines), dir.resolve("out"));
  }

  @Test
  void thePretrainSectionIsReadAndItsSettingsComeBeforeTheAxes() throws IOException {
    AblationGrid grid =
        GridReader.read(
            gridFile(
                "ablation {",
                "  base = base.conf",
                "  pretrain {",
                "    settings { steps = 5, source = vecap }",
                "    seed = per-seed",
                "  }",
                "  axes { \"mm1.pretrain.source\" = [captioned, vecap] }",
                "}"));
    assertEquals(GridPretrain.Seeds.PER_SEED, grid.pretrain().seeds());
    assertEquals(
        List.of("mm1.pretrain.source=\"vecap\"", "mm1.pretrain.steps=5"),
        grid.pretrain().settings().stream().map(GridOverride::describe).toList());
    List<Variant> runs = GridExpansion.expand(grid);
    com.typesafe.config.Config applied =
        Overrides.apply(com.typesafe.config.ConfigFactory.empty(), runs.get(0).overrides());
    assertEquals("captioned", applied.getString("mm1.pretrain.source"), "the axis wins");
    assertEquals(5, applied.getInt("mm1.pretrain.steps"));

    AblationGrid fixed =
        GridReader.read(
            gridFile("ablation {", "  base = base.conf", "  pretrain { seed = 11 }", "}"));
    assertEquals(GridPretrain.Seeds.FIXED, fixed.pretrain().seeds());
    assertEquals(11L, fixed.pretrain().fixedSeed());
    AblationGrid plain =
        GridReader.read(gridFile("ablation {", "  base = base.conf", "  pretrain {}", "}"));
    assertEquals(GridPretrain.Seeds.SHARED, plain.pretrain().seeds());
    assertNull(GridReader.read(gridFile("ablation { base = base.conf }")).pretrain());
  }

  @Test
  void unknownKeysAndWrongKindsAreErrorsAtFileAndLine() throws IOException {
    Path file =
        gridFile(
            "ablation {",
            "  base = base.conf",
            "  pretrain {",
            "    setings { steps = 5 }",
            "    settings { stpes = 5, lr = [1], source = vecap }",
            "    seed = sometimes",
            "  }",
            "}");
    UserException e = assertThrows(UserException.class, () -> GridReader.read(file));
    List<String> problems = e.problems();
    assertEquals(4, problems.size(), problems.toString());
    assertEquals(
        "ablation.pretrain.setings ("
            + file
            + ":4): unknown key; did you mean settings?; known: settings, seed",
        problems.get(0).replace("ablation.pretrain.setings", "ablation.pretrain.setings"),
        problems.toString());
    assertTrue(
        problems.contains(
            "ablation.pretrain.settings.stpes ("
                + file
                + ":5): mm1.pretrain has no key stpes; did you mean steps?; known: batch-size,"
                + " grad-clip, log-every, lr, source, steps, warmup, weight-decay"),
        problems.toString());
    assertTrue(
        problems.contains(
            "ablation.pretrain.settings.lr (" + file + ":5): expected a value, got [1]"),
        problems.toString());
    assertTrue(
        problems.contains(
            "ablation.pretrain.seed ("
                + file
                + ":6): expected shared (one stage for all seeds), per-seed, or a whole number;"
                + " got \"sometimes\""),
        problems.toString());

    Path notASection = gridFile("ablation {", "  base = base.conf", "  pretrain = yes", "}");
    UserException e2 = assertThrows(UserException.class, () -> GridReader.read(notASection));
    assertTrue(
        e2.problems().get(0).startsWith("ablation.pretrain (" + notASection + ":3)"),
        e2.problems().toString());
  }

  @Test
  void twoVariantsAndThreeSeedsShareOneStage() throws IOException {
    AblationSetup.Prepared p =
        prepare(
            "ablation {",
            "  base = base.conf",
            "  pretrain { settings { steps = 5, batch-size = 4 } }",
            "  variants {",
            "    short { \"mm1.train.steps\" = 3 }",
            "    long { \"mm1.train.steps\" = 6 }",
            "  }",
            "  seeds = [1, 2, 3]",
            "}");
    assertEquals(6, p.runs().size());
    assertEquals(1, p.stages().size(), p.stages().toString());
    EncoderStage stage = p.stages().get(0);
    assertTrue(stage.name().startsWith("stand-in-encoder_32px_w16_captioned_"), stage.name());
    assertEquals(stage.hash().substring(0, 8), stage.name().substring(stage.name().length() - 8));
    assertEquals(7L, stage.seed(), "the base run's seed: the stage is shared across seeds");
    assertEquals(5, stage.steps());
    assertEquals(p.runs().stream().map(Variant::name).toList(), stage.runs());

    AblationFolder folder = p.folder();
    String stageConf = Files.readString(folder.stageConfig(stage.name()));
    assertTrue(stageConf.contains("name=\"" + stage.name() + "\""), stageConf);
    assertFalse(stageConf.contains("checkpoint="), stageConf);
    String variant = Files.readString(folder.variantConfig("long_seed-2"));
    assertTrue(
        variant.contains("checkpoint=\"" + folder.stageWeights(stage.name()) + "\""), variant);

    AblationPlan plan = AblationPlan.read(folder.plan());
    assertEquals(p.plan(), plan, "ablation.json reads back as written");
    assertEquals(1, plan.stages().size());
    assertEquals(stage.hash(), plan.stages().get(0).hash());
    assertEquals(stage.runs(), plan.stages().get(0).runs());
    assertTrue(plan.runs().stream().allMatch(r -> stage.name().equals(r.stage())));
    String json = Files.readString(folder.plan());
    assertTrue(json.contains("\"folder\": \"stages/" + stage.name() + "\""), json);
    assertTrue(json.contains("\"mm1.pretrain.steps=5\""), json);
  }

  @Test
  void stagesDifferWithTheEncoderThePretrainingDataOrTheSeed() throws IOException {
    AblationSetup.Prepared bySource =
        prepare(
            "ablation {",
            "  base = base.conf",
            "  pretrain { settings { steps = 5 } }",
            "  axes {",
            "    \"mm1.pretrain.source\" = [captioned, vecap]",
            "    \"mm1.model.connector.tokens\" = [16]",
            "  }",
            "  variants { wide { \"mm1.model.encoder.width\" = 24 } }",
            "  seeds = [1, 2]",
            "}");
    List<String> names = bySource.stages().stream().map(EncoderStage::name).toList();
    assertEquals(3, names.size(), names.toString());
    assertTrue(names.get(1).contains("_vecap_"), names.toString());
    assertTrue(names.get(2).contains("_w24_"), names.toString());
    assertEquals(List.of("wide_seed-1", "wide_seed-2"), bySource.stages().get(2).runs());

    AblationSetup.Prepared perSeed =
        prepare(
            "ablation {",
            "  base = base.conf",
            "  name = per-seed",
            "  pretrain { seed = per-seed }",
            "  seeds = [1, 2, 3]",
            "}");
    assertEquals(3, perSeed.stages().size());
    assertTrue(perSeed.stages().get(2).name().contains("_seed-3_"), perSeed.stages().toString());
    assertEquals(3L, perSeed.stages().get(2).seed());
    assertNotEquals(perSeed.stages().get(0).hash(), perSeed.stages().get(1).hash());
  }

  @Test
  void aDefaultWrittenOutIsTheSameStage() {
    com.typesafe.config.Config a =
        com.typesafe.config.ConfigFactory.parseString(
            "mm1 { seed = 7, model.encoder { type = x, width = 16, checkpoint = a },"
                + " pretrain { lr = 0.001, steps = 20 }, data { workers = 2, world.seed = 1 } }");
    com.typesafe.config.Config b =
        com.typesafe.config.ConfigFactory.parseString(
            "mm1 { seed = 7, model.encoder { width = 16.0, type = x, checkpoint = b },"
                + " pretrain { steps = 20, lr = 1e-3 }, data { world.seed = 1, workers = 4,"
                + " mix { type = y } } }");
    assertEquals(EncoderStages.hash(a), EncoderStages.hash(b));
    assertNotEquals(
        EncoderStages.hash(a),
        EncoderStages.hash(
            a.withValue(
                "mm1.data.world.seed", com.typesafe.config.ConfigValueFactory.fromAnyRef(2))));
  }

  @Test
  void aStageThatCannotRunIsRefusedBeforeAnythingIsWritten() throws IOException {
    UserException e =
        assertThrows(
            UserException.class,
            () ->
                prepare(
                    "ablation {",
                    "  base = base.conf",
                    "  pretrain { settings { batch-size = 1 } }",
                    "  axes { \"mm1.pretrain.source\" = [captioned, vecap] }",
                    "}"));
    List<String> problems = e.problems();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .get(0)
            .startsWith(
                "encoder stage of variants source-captioned, source-vecap: mm1.pretrain.batch-size ("),
        problems.toString());
    assertTrue(problems.get(0).contains("grid.conf:3): must be between 2"), problems.toString());
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }
}
