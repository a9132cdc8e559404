package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/**
 * {@code mm1 ablate findings} from the command line: the document and its warnings from an ablation
 * folder made by {@code mm1 ablate --emit} with results written by hand, and bad input as one line
 * with exit status 2 and nothing written.
 */
class AblateFindingsCommandTest {

  @TempDir Path dir;

  /** A grid of two variants over two seeds, emitted (so laid out, not run), with results. */
  private Path folder() throws IOException {
    Files.writeString(dir.resolve("tiny.conf"), AblateCommandTest.TINY_BASE);
    Files.writeString(
        dir.resolve("grid.conf"),
        "ablation {\n  name = tiny-grid\n  base = tiny.conf\n"
            + "  axes { \"mm1.model.connector.tokens\" = [1, 4] }\n  seeds = [1, 2]\n}\n");
    Path out = dir.resolve("runs/tiny-grid");
    Result emitted =
        mm1("ablate", dir.resolve("grid.conf").toString(), "--emit", "slurm", out.toString());
    assertEquals(0, emitted.status(), emitted.err());
    // caption: tokens-1 20, 22; tokens-4 25, 26 (per seed +5, +4: mean 4.5, sd 0.707107, h =
    // 12.706205 x 0.5 = 6.353, [-1.9, 10.9], within noise). vqa: tokens-1 10, 20; tokens-4 30,
    // 41 (+20, +21: mean 20.5, [14.1, 26.9], reproduced).
    double[][] caption = {{20, 22}, {25, 26}};
    double[][] vqa = {{10, 20}, {30, 41}};
    String[] groups = {"tokens-1", "tokens-4"};
    for (int g = 0; g < 2; g++) {
      for (int seed = 1; seed <= 2; seed++) {
        Path results =
            out.resolve("variants/" + groups[g] + "_seed-" + seed + "/eval/results.json");
        Files.createDirectories(results.getParent());
        Files.writeString(
            results,
            "{\"run\":\"r\",\"step\":4,\"results\":[{\"task\":\"caption\",\"shots\":0,\"metric\":"
                + "\"CIDEr-D\",\"score\":"
                + caption[g][seed - 1]
                + "},{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\",\"score\":"
                + vqa[g][seed - 1]
                + "}]}");
      }
    }
    return out;
  }

  private Path spec(String extra) throws IOException {
    Path spec = dir.resolve("findings.conf");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "grids = [grid.conf]",
            "findings = [",
            "  { id = vqa-tokens, title = \"More tokens, VQA\", grid = tiny-grid",
            "    paper { claim = \"More tokens help.\", numbers = \"+\" }",
            "    a { tokens = 4 }, b { tokens = 1 }, measure = vqa, shots = [0]",
            "    expect = a-higher" + extra + " }",
            "  { id = caption-tokens, title = \"More tokens, captions\", grid = tiny-grid",
            "    paper { claim = \"More tokens help.\", numbers = \"+\" }",
            "    a { tokens = 4 }, b { tokens = 1 }, measure = caption, shots = [0]",
            "    expect = a-higher }",
            "]",
            ""));
    return spec;
  }

  @Test
  void writesTheDocumentItsChartsAndWarnsOfAMissingInvestigation() throws IOException {
    Path folder = folder();
    Path out = dir.resolve("docs/findings.md");
    Result r =
        mm1(
            "ablate",
            "findings",
            "--spec",
            spec("").toString(),
            "--out",
            out.toString(),
            folder.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(
        List.of(
            "mm1: warning: finding caption-tokens did not reproduce (0-shot: within noise) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'"),
        r.warningLines());
    assertEquals(
        "findings: " + out + " (2 findings, 2 charts; rows: 1 reproduced, 1 within noise)",
        r.out().strip());
    String md = Files.readString(out);
    assertTrue(
        md.contains(
            "| [More tokens, VQA](#vqa-tokens) | + | vqa | 0 | +20.5 ± 6.4 | **reproduced** |\n"),
        md);
    assertTrue(
        md.contains(
            "| [More tokens, captions](#caption-tokens) | + | caption | 0 | +4.5 ± 6.4 ≈ | within"
                + " noise |\n"),
        md);
    assertTrue(Files.size(dir.resolve("docs/findings/vqa-tokens.png")) > 1000);
    assertTrue(Files.size(dir.resolve("docs/findings/caption-tokens.png")) > 1000);
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws IOException {
    Path folder = folder();
    Path out = dir.resolve("docs/findings.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "kept\n");

    Path spec = spec(", expcet = a-higher");
    Result typo =
        mm1(
            "ablate",
            "findings",
            "--spec",
            spec.toString(),
            "--out",
            out.toString(),
            folder.toString());
    assertEquals(Main.USER_ERROR, typo.status());
    assertEquals(1, typo.errLines().size(), typo.err());
    assertTrue(
        typo.err()
            .startsWith(
                "mm1: error: findings[0].expcet ("
                    + spec
                    + ":6): unknown key for a contrast finding;"
                    + " did you mean expect?"),
        typo.err());

    Result notAFolder =
        mm1(
            "ablate",
            "findings",
            "--spec",
            spec("").toString(),
            "--out",
            out.toString(),
            dir.toString());
    assertEquals(Main.USER_ERROR, notAFolder.status());
    assertEquals(
        List.of("mm1: error: " + dir + " is not an ablation folder: it has no ablation.json"),
        notAFolder.errLines());

    Result twice =
        mm1(
            "ablate",
            "findings",
            "--spec",
            spec("").toString(),
            "--out",
            out.toString(),
            folder.toString(),
            folder.toString());
    assertEquals(Main.USER_ERROR, twice.status());
    assertEquals(1, twice.errLines().size(), twice.err());
    assertTrue(twice.err().contains("both hold grid tiny-grid"), twice.err());

    Result none = mm1("ablate", "findings", "--spec", spec("").toString());
    assertEquals(Main.USER_ERROR, none.status());
    assertTrue(none.err().startsWith("mm1: error: Missing required parameter: 'DIR'"), none.err());

    assertEquals("kept\n", Files.readString(out), "nothing overwritten");
    assertFalse(Files.exists(dir.resolve("docs/findings")), "no chart written");
  }
}
