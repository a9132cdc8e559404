package org.mm1lab.core.ablate.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.core.ablate.findings.AblationFixture.results;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.ablate.AblationFolder;
import org.mm1lab.core.ablate.AblationProvenance;
import org.mm1lab.core.ablate.AblationResults;
import org.mm1lab.core.ablate.AblationSession;
import org.mm1lab.core.ablate.AblationTiming;
import org.mm1lab.core.ablate.Comparison;
import org.mm1lab.core.ablate.MachineInfo;

/**
 * The findings measured on small ablation folders with scores chosen by hand, so that every effect,
 * interval and verdict can be worked out on paper (t(0.975, 1) = 12.706205, t(0.975, 2) =
 * 4.302653): reproduced, reversed, within noise and not measured contrasts; a factorial grid's
 * marginal effect; little-effect, ordering and rank verdicts; the document, its charts, its
 * investigations and each grid's wall time and machine.
 */
class FindingsDocumentTest {

  @TempDir Path dir;

  private AblationFolder enc;
  private AblationFolder conn;
  private AblationFolder stray;

  /** Writes a run's caption and vqa scores at 0 shots. */
  private static void both(AblationFolder f, String run, double caption, double vqa)
      throws IOException {
    results(f, run, "caption", 0, caption, "vqa", 0, vqa);
  }

  @BeforeEach
  void folders() throws IOException {
    AblationFixture fixture = new AblationFixture(dir);
    enc =
        fixture.grid(
            "enc",
            "  variants { base {}, hi {}, lo {}, noisy {}, big {}, single {} }",
            "  seeds = [1, 2, 3]");
    // Per seed, the mean of caption and vqa: base 40, 42, 44; hi 43, 44, 48 (hi - base = 3, 2,
    // 4); lo 37, 40, 40 (-3, -2, -4); noisy 43, 41, 48 (3, -1, 4); big 50, 50, 56 (10, 8, 12);
    // single seed 1 alone, 41.
    double[][][] scores = {
      {{50, 30}, {52, 32}, {54, 34}},
      {{53, 33}, {54, 34}, {58, 38}},
      {{47, 27}, {50, 30}, {50, 30}},
      {{53, 33}, {51, 31}, {58, 38}},
      {{60, 40}, {60, 40}, {66, 46}}
    };
    String[] groups = {"base", "hi", "lo", "noisy", "big"};
    for (int g = 0; g < groups.length; g++) {
      for (int seed = 1; seed <= 3; seed++) {
        both(enc, groups[g] + "_seed-" + seed, scores[g][seed - 1][0], scores[g][seed - 1][1]);
      }
    }
    both(enc, "single_seed-1", 51, 31);

    conn =
        fixture.grid(
            "conn",
            "  axes {",
            "    \"mm1.model.connector.tokens\" = [16, 36]",
            "    \"mm1.model.encoder.image-size\" = [64, 96]",
            "  }",
            "  seeds = [1, 2]");
    // caption at 0 shots, seed 1 then seed 2.
    Map<String, double[]> caption =
        Map.of(
            "tokens-16_image-size-64", new double[] {10, 12},
            "tokens-16_image-size-96", new double[] {20, 22},
            "tokens-36_image-size-64", new double[] {14, 18},
            "tokens-36_image-size-96", new double[] {30, 28});
    for (Map.Entry<String, double[]> e : caption.entrySet()) {
      for (int seed = 1; seed <= 2; seed++) {
        results(conn, e.getKey() + "_seed-" + seed, "caption", 0, e.getValue()[seed - 1]);
      }
    }
    fixture.grid("other", "  variants { x {}, y {} }");
    stray = fixture.grid("stray", "  variants { s {} }");

    MachineInfo machine = new MachineInfo(2, "Test CPU @ 2.0GHz", 8L << 30);
    AblationProvenance typed =
        new AblationProvenance("mm1 ablate grids/enc.conf --jobs 2", "0.1.0", "abc1234");
    Instant start = Instant.parse("2025-03-01T10:00:00Z");
    AblationTiming timing =
        new AblationTiming(
            List.of(
                new AblationSession(
                    typed,
                    start,
                    start.plusSeconds(35 * 60 + 12),
                    true,
                    2,
                    machine,
                    List.of(1.5, 1.0, 0.5),
                    List.of(2.0, 1.5, 1.25),
                    10,
                    0,
                    true,
                    List.of()),
                new AblationSession(
                    typed,
                    start.plusSeconds(7200),
                    start.plusSeconds(7200 + 600),
                    true,
                    2,
                    machine,
                    List.of(0.5, 0.5, 0.5),
                    List.of(1.0, 0.5, 0.5),
                    6,
                    0,
                    false,
                    List.of())));
    Files.writeString(enc.timing(), timing.toJson());
  }

  private Path spec() throws IOException {
    Path notes = dir.resolve("lo.md");
    Files.writeString(notes, "We checked the runs' logs; *lo* trains on fewer steps.\n");
    String paper = "paper { source = \"Table 9\", claim = \"A claim.\", numbers = \"n\" }";
    Path file = dir.resolve("findings.conf");
    Files.writeString(
        file,
        String.join(
            "\n",
            "grids = [enc.conf, conn.conf, other.conf]",
            "findings = [",
            contrast("hi-effect", "Hi", "enc", "a = hi, b = base", "[0, 8]", "a-higher", paper),
            contrast("lo-effect", "Lo", "enc", "a = lo, b = base", "[0]", "a-higher", paper)
                .replace(" }\n", ", investigation-file = lo.md }\n"),
            contrast(
                "noisy-effect", "Noisy", "enc", "a = noisy, b = base", "[0]", "a-higher", paper),
            contrast("big-effect", "Big", "enc", "a = big, b = base", "[0]", "a-higher", paper),
            contrast(
                "single-effect", "Single", "enc", "a = single, b = base", "[0]", "a-higher", paper),
            contrast(
                    "hi-little",
                    "Hi little",
                    "enc",
                    "a = hi, b = base",
                    "[0]",
                    "little-effect",
                    paper)
                .replace(" }\n", ", compared-to = [big-effect] }\n"),
            contrast(
                    "noisy-little",
                    "Noisy little",
                    "enc",
                    "a = noisy, b = base",
                    "[0]",
                    "little-effect",
                    paper)
                .replace(" }\n", ", compared-to = [big-effect] }\n"),
            "  { id = order-good, title = \"Order good\", grid = enc, kind = ordering, "
                + paper
                + ", order = [big-effect, hi-effect] }",
            "  { id = order-noise, title = \"Order noise\", grid = enc, kind = ordering, "
                + paper
                + ", order = [big-effect, hi-effect, noisy-effect] }",
            "  { id = order-reversed, title = \"Order reversed\", grid = enc, kind = ordering, "
                + paper
                + ", order = [hi-effect, big-effect] }",
            "  { id = rank-hi, title = \"Rank hi\", grid = enc, kind = rank, "
                + paper
                + ", variant = hi, measure = average, shots = [0] }",
            "  { id = rank-big, title = \"Rank big\", grid = enc, kind = rank, "
                + paper
                + ", variant = big, measure = average, shots = [0] }",
            contrast("missing-grid", "Other", "other", "a = x, b = y", "[0]", "a-higher", paper),
            "  { id = conn-tokens, title = Tokens, grid = conn, "
                + paper
                + ", a { tokens = 36 }, b { tokens = 16 }, measure = caption, shots = [0],"
                + " expect = a-higher }",
            "  { id = conn-size, title = Size, grid = conn, "
                + paper
                + ", a { image-size = 96 }, b { image-size = 64 }, measure = caption,"
                + " shots = [0], expect = a-higher }",
            "  { id = conn-tokens-little, title = \"Tokens little\", grid = conn, "
                + paper
                + ", a { tokens = 36 }, b { tokens = 16 }, measure = caption, shots = [0],"
                + " expect = little-effect, compared-to = [conn-size] }",
            "]",
            ""));
    return file;
  }

  private static String contrast(
      String id,
      String title,
      String grid,
      String sides,
      String shots,
      String expect,
      String paper) {
    return "  { id = "
        + id
        + ", title = \""
        + title
        + "\", grid = "
        + grid
        + ", "
        + paper
        + ", "
        + sides
        + ", measure = [caption, vqa], shots = "
        + shots
        + ", expect = "
        + expect
        + " }\n";
  }

  @Test
  void theSidesOfAFactorialGridAreMarginalMeansPairedBySeed() {
    Comparison c = new Comparison(AblationResults.read(conn));
    Selection tokens36 = Selection.at(Map.of("tokens", "36"));
    List<String> groups = tokens36.groups(c.plan());
    assertEquals(List.of("tokens-36_image-size-64", "tokens-36_image-size-96"), groups);
    Measure caption = new Measure(List.of("caption"), List.of(0));
    // Seed 1: (14 + 30) / 2 = 22; seed 2: (18 + 28) / 2 = 23.
    assertEquals(Map.of(1L, 22.0, 2L, 23.0), Sides.bySeed(c, groups, caption, 0));
    // Seed 1: (10 + 20) / 2 = 15; seed 2: (12 + 22) / 2 = 17.
    assertEquals(
        Map.of(1L, 15.0, 2L, 17.0),
        Sides.bySeed(c, Selection.at(Map.of("tokens", "16")).groups(c.plan()), caption, 0));
  }

  @Test
  void everyVerdictFromHandWorkedScores() throws IOException {
    Path out = dir.resolve("docs").resolve("findings.md");
    FindingsDocument.Written w =
        FindingsDocument.write(spec(), List.of(enc.root(), conn.root(), stray.root()), out);

    String md = Files.readString(out);
    // hi - base per seed 3, 2, 4: mean 3, sd 1, h = 4.302653 / sqrt(3) = 2.484: [0.5, 5.5].
    assertTrue(
        md.contains(
            "| [Hi](#hi-effect) | n | mean of caption and vqa | 0 | +3.0 ± 2.5 | **reproduced** |\n"),
        md);
    assertTrue(
        md.contains(
            "| 0-shot | 45.0 ± 6.6 (3 seeds) | 42.0 ± 5.0 (3 seeds) | +3.0 ± 2.5 | \\[0.5, 5.5\\]"
                + " (paired) | reproduced | the interval lies above 0: a is higher |"),
        md);
    // The grid evaluated 0 shots only.
    assertTrue(
        md.contains("| [Hi](#hi-effect) | n | mean of caption and vqa | 8 | — | not measured |\n"),
        md);
    assertTrue(
        md.contains(
            "| 8-shot | — | — | — | — | not measured | no run of the grid has 8-shot scores"
                + " (evaluated at 0 shots; add 8 to mm1.eval.shots) |"),
        md);
    // lo - base: -3, -2, -4: [-5.5, -0.5], below 0.
    assertTrue(
        md.contains(
            "| [Lo](#lo-effect) | n | mean of caption and vqa | 0 | -3.0 ± 2.5 | reversed |\n"),
        md);
    // noisy - base: 3, -1, 4: mean 2, sd sqrt(7), h = 4.302653 x 1.527525 = 6.572: covers 0.
    assertTrue(
        md.contains(
            "| [Noisy](#noisy-effect) | n | mean of caption and vqa | 0 | +2.0 ± 6.6 ≈ | within noise |\n"),
        md);
    assertTrue(
        md.contains(
            "| +2.0 ± 6.6 ≈ | \\[-4.6, 8.6\\] (paired) | within noise | the interval covers 0 |"),
        md);
    // big - base: 10, 8, 12: mean 10, sd 2, h = 4.302653 x 1.154701 = 4.968.
    assertTrue(
        md.contains(
            "| [Big](#big-effect) | n | mean of caption and vqa | 0 | +10.0 ± 5.0 | **reproduced** |\n"),
        md);
    assertTrue(
        md.contains(
            "| [Single](#single-effect) | n | mean of caption and vqa | 0 | -1.0 (1 seed) | not measured |\n"),
        md);
    assertTrue(
        md.contains(
            "| not measured | single has results for 1 seed, base for 3 seeds; an interval needs at least 2"
                + " seeds on each side |"),
        md);
    assertTrue(
        md.contains(
            "| [Other](#missing-grid) | n | mean of caption and vqa | — | — | not measured |\n"),
        md);
    assertTrue(
        md.contains("| all | — | — | — | — | not measured | no folder given holds grid other |"),
        md);

    // Little effect: |3.0| <= 0.5 x 10.0; noisy's interval covers 0.
    assertTrue(
        md.contains(
            "| reproduced | the interval excludes 0; \\|Δ\\| 3.0 is at most 50% of the smallest"
                + " compared effect, big-effect (+10.0) |"),
        md);
    assertTrue(
        md.contains(
            "| [Noisy little](#noisy-little) | n | mean of caption and vqa | 0 | +2.0 ± 6.6 ≈ | **reproduced** |\n"),
        md);

    // Orderings. big - hi per seed: (10, 8, 12) - (3, 2, 4) = 7, 6, 8: [4.5, 9.5].
    assertTrue(
        md.contains(
            "| 0-shot | +10.0 ± 5.0 | +3.0 ± 2.5 | +7.0 ± 2.5 \\[4.5, 9.5\\] (paired) | reproduced |"
                + " every pair's interval lies above 0 |"),
        md);
    // hi - noisy per seed: (3, 2, 4) - (3, -1, 4) = 0, 3, 0: mean 1, sd sqrt(3), se 1, h 4.303.
    assertTrue(
        md.contains(
            "| +1.0 ± 4.3 ≈ \\[-3.3, 5.3\\] (paired) | within noise | the interval of hi-effect −"
                + " noisy-effect covers 0 |"),
        md);
    assertTrue(
        md.contains(
            "| [Order noise](#order-noise) | n | effects' order | 0 | big-effect +10.0, hi-effect"
                + " +3.0, noisy-effect +2.0 | within noise |\n"),
        md);
    assertTrue(
        md.contains("| reversed | the interval of hi-effect − big-effect lies below 0 |"), md);

    // Ranks by mean (average over tasks): big 52, hi 45, noisy 44, base 42, single 41, lo 39.
    assertTrue(
        md.contains(
            "| [Rank hi](#rank-hi) | n | average over tasks, rank | 0 | rank 2 of 6, 45.0 ± 6.6 |"
                + " not reproduced |\n"),
        md);
    assertTrue(md.contains("| not reproduced | big ahead beyond noise |"), md);
    assertTrue(
        md.contains(
            "| reproduced | no variant is ahead beyond noise (not tested, fewer than 2 seeds:"
                + " single) |"),
        md);
    assertTrue(
        md.contains(
            "| [Rank big](#rank-big) | n | average over tasks, rank | 0 | rank 1 of 6, 52.0 ± 8.6 | **reproduced** |\n"),
        md);
    assertTrue(
        md.contains("| big | 52.0 ± 8.6 (3 seeds) | -7.0 ± 2.5 | \\[-9.5, -4.5\\] (paired) |"), md);

    // The factorial grid: tokens 36 - 16 per seed 22 - 15 = 7, 23 - 17 = 6: mean 6.5, sd
    // 0.707107, se 0.5, h = 12.706205 x 0.5 = 6.353.
    assertTrue(
        md.contains(
            "| 0-shot | 22.5 ± 6.4 (2 seeds) | 16.0 ± 12.7 (2 seeds) | +6.5 ± 6.4 | \\[0.1, 12.9\\]"
                + " (paired) | reproduced |"),
        md);
    assertTrue(
        md.contains("tokens = 36 (the mean over its 2 variants) (a) against tokens = 16"), md);
    // image-size 96 - 64: 25 - 12 = 13, 25 - 15 = 10: mean 11.5, sd 2.121320, se 1.5, h 19.059.
    assertTrue(
        md.contains("| [Size](#conn-size) | n | caption | 0 | +11.5 ± 19.1 ≈ | within noise |\n"),
        md);
    // |6.5| > 0.5 x 11.5 = 5.75.
    assertTrue(
        md.contains(
            "| not reproduced | the interval excludes 0; \\|Δ\\| 6.5 is more than 50% of the"
                + " smallest compared effect, conn-size (+11.5) |"),
        md);

    // Investigations: written by a person and kept verbatim, or visibly pending.
    assertTrue(
        md.contains(
            "**Investigation.**\n\nWe checked the runs' logs; *lo* trains on fewer steps.\n"),
        md);
    assertTrue(
        md.contains(
            "**Investigation pending.** This finding was measured and did not reproduce (0-shot:"
                + " within noise)"),
        md);
    assertEquals(
        List.of(
            stray.root()
                + " holds grid stray, which "
                + dir.resolve("findings.conf")
                + " does not name; it is left out",
            "finding noisy-effect did not reproduce (0-shot: within noise) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'",
            "finding order-noise did not reproduce (0-shot: within noise) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'",
            "finding order-reversed did not reproduce (0-shot: reversed) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'",
            "finding rank-hi did not reproduce (0-shot: not reproduced) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'",
            "finding conn-size did not reproduce (0-shot: within noise) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'",
            "finding conn-tokens-little did not reproduce (0-shot: not reproduced) and "
                + dir.resolve("findings.conf")
                + " has no investigation for it; the document says 'investigation pending'"),
        w.warnings());

    // A chart beside the document per finding with something measured, embedded.
    assertFalse(w.charts().containsKey("missing-grid"));
    assertEquals(15, w.charts().size(), w.charts().toString());
    for (Map.Entry<String, Path> e : w.charts().entrySet()) {
      assertEquals(dir.resolve("docs/findings").resolve(e.getKey() + ".png"), e.getValue());
      BufferedImage image = ImageIO.read(e.getValue().toFile());
      assertNotNull(image, e.getKey());
      assertTrue(image.getWidth() >= 720 && image.getHeight() == 420, e.getKey());
      assertTrue(md.contains("](findings/" + e.getKey() + ".png)"), e.getKey());
    }

    // Each grid's command, wall time and machine.
    assertTrue(
        md.contains(
            "- Command, as recorded (from the repository root):\n\n```\n./mm1 ablate grids/enc.conf --jobs 2\n```\n"),
        md);
    assertTrue(md.contains("- Wall time: 45m12s over 2 sessions\n"), md);
    assertTrue(md.contains("- Machine: 2 cores, Test CPU @ 2.0GHz, 8.0 GiB memory\n"), md);
    assertTrue(
        md.contains(
            "| 1 | 2025-03-01 10:00 | 35m12s (interrupted) | 2 | 10 | 0 | 2 cores, Test CPU @"
                + " 2.0GHz, 8.0 GiB memory | 1.50 / 1.00 / 0.50 (1, 5, 15 min) | 2.00 / 1.50 /"
                + " 1.25 (1, 5, 15 min) | 0.1.0 | abc1234 |"),
        md);
    assertTrue(md.contains("- Seeds: [1, 2, 3]; runs with results: 16 of 18\n"), md);
    assertTrue(md.contains("`single_seed-2` (not run)"), md);
    assertTrue(md.contains("- Wall time: not recorded (the folder has no timing.json"), md);
    assertTrue(md.contains("- Command (rebuilt from ablation.json; the folder records none):"), md);
    assertTrue(md.contains("No folder was given for it: its findings are not measured."), md);
    assertTrue(
        md.contains(
            "An average over tasks mixes CIDEr-D with accuracies, as the MM1 paper's averages do."),
        md);
  }
}
