package org.mm1lab.core.ablate.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

/**
 * The findings file: the shipped one reads and names the paper's findings on the shipped grids, and
 * every mistake is one line naming the file, the line and the key.
 */
class FindingsReaderTest {

  @TempDir Path dir;

  /** A factorial grid (tokens x image-size) and a grid of named variants. */
  private void grids() throws IOException {
    Files.writeString(dir.resolve("base.conf"), "mm1 { name = base }\n");
    Files.writeString(
        dir.resolve("conn.conf"),
        String.join(
            "\n",
            "ablation {",
            "  name = conn",
            "  base = base.conf",
            "  axes {",
            "    \"mm1.model.connector.tokens\" = [16, 36]",
            "    \"mm1.model.encoder.image-size\" = [64, 96]",
            "  }",
            "  seeds = [1, 2]",
            "}",
            ""));
    Files.writeString(
        dir.resolve("enc.conf"),
        "ablation {\n  name = enc\n  base = base.conf\n"
            + "  variants { base {}, hi { \"mm1.train.steps\" = 2 } }\n  seeds = [1, 2]\n}\n");
  }

  /** A findings file over both grids; {@code extra} goes into the first finding, line 5 on. */
  private Path spec(String extra, String moreFindings) throws IOException {
    grids();
    Path file = dir.resolve("findings.conf");
    Files.writeString(
        file,
        String.join(
            "\n",
            "grids = [conn.conf, enc.conf]",
            "findings = [",
            "  {",
            "    id = tokens, title = Tokens, grid = conn",
            extra,
            "    paper { claim = \"more tokens help\", numbers = \"+2\" }",
            "    a { tokens = 36 }",
            "    b { tokens = 16 }",
            "    measure = [caption, vqa]",
            "    shots = [0, 4]",
            "    expect = a-higher",
            "  }",
            moreFindings,
            "]",
            ""));
    return file;
  }

  private List<String> problems(Path file) {
    return assertThrows(UserException.class, () -> FindingsReader.read(file)).problems();
  }

  @Test
  void theShippedFileNamesThePapersFindingsOnTheShippedGrids() {
    FindingsSpec spec =
        FindingsReader.read(Path.of("..", "..", "examples", "ablations", "findings.conf"));
    assertEquals(
        List.of("encoders", "connectors", "data", "final-recipe"),
        List.copyOf(spec.grids().keySet()));
    assertEquals(17, spec.findings().size());
    Finding resolution = spec.finding("encoder-resolution").orElseThrow();
    Finding.Contrast c = (Finding.Contrast) resolution.claim();
    assertEquals("res-128", c.a().variant());
    assertEquals("baseline", c.b().variant());
    assertEquals(List.of("caption", "vqa"), c.measure().tasks());
    assertEquals(List.of(0, 4, 8), c.measure().shots());
    Finding.Contrast tokens =
        (Finding.Contrast) spec.finding("connector-tokens").orElseThrow().claim();
    assertEquals(Map.of("tokens", "36"), tokens.a().levels());
    Finding.Contrast type =
        (Finding.Contrast) spec.finding("connector-type-c-abstractor").orElseThrow().claim();
    assertEquals(Finding.Expect.LITTLE_EFFECT, type.expect());
    assertEquals(List.of("connector-tokens", "connector-resolution"), type.comparedTo());
    assertEquals(
        List.of("encoder-resolution", "encoder-size", "encoder-data"),
        ((Finding.Ordering) spec.finding("encoder-ordering").orElseThrow().claim()).findings());
    assertEquals(
        "final-45-45-10",
        ((Finding.Rank) spec.finding("data-mix-rank").orElseThrow().claim()).variant());
    assertEquals(
        "text-core",
        ((Finding.Contrast) spec.finding("data-interleaved-text").orElseThrow().claim())
            .measure()
            .label());
  }

  @Test
  void aSmallFileReadsWithItsSelectionsAndMeasure() throws IOException {
    FindingsSpec spec =
        FindingsReader.read(spec("    investigation = \"  checked the logs  \"", ""));
    Finding f = spec.findings().get(0);
    assertEquals("checked the logs", f.investigation());
    Finding.Contrast c = (Finding.Contrast) f.claim();
    assertEquals("tokens = 36", c.a().describe());
    assertEquals("mean of caption and vqa", c.measure().label());
    assertEquals("", f.paper().source());
  }

  @Test
  void anUnknownKeyIsOneLineNamingTheFileLineAndKey() throws IOException {
    Path file = spec("    expcet = a-higher", "");
    assertEquals(
        List.of(
            "findings[0].expcet ("
                + file
                + ":5): unknown key for a contrast finding; did you mean expect?; known: id, title,"
                + " grid, kind, paper, investigation, investigation-file, a, b, measure, shots,"
                + " expect, compared-to"),
        problems(file));
  }

  @Test
  void anUnknownGridVariantAxisAndLevelAreEachNamed() throws IOException {
    Path file =
        spec(
            "",
            String.join(
                "\n",
                "  { id = g, title = G, grid = encc, paper { claim = c, numbers = n }, a = hi,"
                    + " b = base, measure = average, shots = [0], expect = a-higher }",
                "  { id = v, title = V, grid = enc, paper { claim = c, numbers = n }, a = hii,"
                    + " b = base, measure = average, shots = [0], expect = a-higher }",
                "  { id = x, title = X, grid = conn, paper { claim = c, numbers = n },"
                    + " a { tokenz = 36 }, b { tokens = 16 }, measure = average, shots = [0],"
                    + " expect = a-higher }",
                "  { id = l, title = L, grid = conn, paper { claim = c, numbers = n },"
                    + " a { tokens = 64 }, b { tokens = 16 }, measure = caption, shots = [0],"
                    + " expect = a-higher }"));
    assertEquals(
        List.of(
            "findings[1].grid ("
                + file
                + ":13): no grid named encc; did you mean enc?; grids: conn, enc",
            "findings[2].a ("
                + file
                + ":14): grid enc has no variant hii; did you mean hi?; variants: base, hi",
            "findings[3].a.tokenz ("
                + file
                + ":15): grid conn has no axis tokenz; did you mean tokens?; axes: tokens,"
                + " image-size",
            "findings[4].a.tokens ("
                + file
                + ":16): axis tokens of grid conn has no level 64; levels: 16, 36"),
        problems(file));
  }

  @Test
  void badMeasuresShotsAndExpectationsAreRefused() throws IOException {
    Path file =
        spec(
            "",
            "  { id = t, title = T, grid = enc, paper { claim = c, numbers = n }, a = hi,"
                + " b = base, measure = [captoin], shots = [0, -1, 0], expect = higher }");
    List<String> problems = problems(file);
    assertEquals(4, problems.size(), problems.toString());
    assertEquals(
        "findings[1].measure ("
            + file
            + ":13): unknown task captoin; did you mean caption?; give caption, vqa, text-core,"
            + " average",
        problems.get(0));
    assertTrue(
        problems.get(1).endsWith("expected a shot count (0 or more), got -1"), problems.get(1));
    assertTrue(problems.get(2).endsWith("0 shots is listed twice"), problems.get(2));
    assertTrue(
        problems
            .get(3)
            .startsWith("findings[1].expect (" + file + ":13): unknown expectation higher"),
        problems.get(3));
  }

  @Test
  void referencesBetweenFindingsAreChecked() throws IOException {
    Path file =
        spec(
            "",
            String.join(
                "\n",
                "  { id = same, title = S, grid = conn, paper { claim = c, numbers = n },"
                    + " a { image-size = 96 }, b { image-size = 64 }, measure = caption,"
                    + " shots = [0], expect = little-effect, compared-to = [tokns] }",
                "  { id = order, title = O, grid = conn, kind = ordering,"
                    + " paper { claim = c, numbers = n }, order = [tokens, same] }",
                "  { id = over, title = V, grid = conn, paper { claim = c, numbers = n },"
                    + " a { tokens = 36 }, b { image-size = 96 }, measure = caption, shots = [0],"
                    + " expect = a-higher }"));
    assertEquals(
        List.of(
            "findings[3].b ("
                + file
                + ":15): a and b both take tokens-36_image-size-96; the sides must not overlap",
            "findings[1].compared-to ("
                + file
                + ":13): no finding tokns; did you mean tokens?; findings: tokens, same, order",
            "findings[2].order ("
                + file
                + ":14): same is no other contrast with expect = a-higher"),
        problems(file));
  }

  @Test
  void anInvestigationFileIsReadAndAMissingOneIsNamed() throws IOException {
    Files.writeString(dir.resolve("notes.md"), "We looked.\n\n- item\n");
    FindingsSpec spec = FindingsReader.read(spec("    investigation-file = notes.md", ""));
    assertEquals("We looked.\n\n- item", spec.findings().get(0).investigation());

    Path file = spec("    investigation-file = nothere.md", "");
    List<String> problems = problems(file);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("findings[0].investigation-file (" + file + ":5): cannot read "),
        problems.get(0));
  }

  @Test
  void aMissingPaperAndAnUnknownTopLevelKeyAreNamed() throws IOException {
    grids();
    Path file = dir.resolve("bad.conf");
    Files.writeString(
        file,
        "grids = [enc.conf]\nfinding = []\nfindings = [\n  { id = a, title = A, grid = enc, kind ="
            + " rank, variant = hi, measure = average, shots = [0] }\n]\n");
    assertEquals(
        List.of(
            "finding (" + file + ":2): unknown key; did you mean findings?",
            "findings[0] ("
                + file
                + ":4): paper is missing: paper { claim = \"...\", numbers = \"...\" }"),
        problems(file));
  }
}
