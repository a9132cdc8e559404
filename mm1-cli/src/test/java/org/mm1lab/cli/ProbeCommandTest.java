package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm1 probe} on a run file: a small random encoder and connector, probed on new scenes of
 * the world. Even random features carry a shape's colour (a linear map of its pixels), far above
 * the colour prior; the probes of the other properties run and report a held-out accuracy.
 */
class ProbeCommandTest {

  @TempDir Path dir;

  @Test
  void probesEachTargetAtEachStageOfARunFilesModel() throws IOException {
    Path runFile = dir.resolve("probe.conf");
    Files.writeString(
        runFile,
        String.join(
            "\n",
            "mm1 {",
            "  name = probe",
            "  model {",
            "    encoder { type = clip-vit, image-size = 32, patch-size = 8, width = 32, layers = 1,"
                + " heads = 2 }",
            "    connector { type = c-abstractor, tokens = 4, depth = 1 }",
            "    decoder { type = dense, width = 32, layers = 1, heads = 2, kv-heads = 2, ffn = 64 }",
            "  }",
            "  data.mix { type = weighted, sources { captioned = 1 } }",
            "  train { seq-len = 64 }",
            "}",
            ""));
    Mm1Cli.Result result = mm1("probe", runFile.toString(), "--items", "500");
    assertEquals(0, result.status(), result.err());
    List<String> lines = result.out().lines().toList();
    assertTrue(lines.get(0).contains("no pretrained weights"), lines.get(0));
    assertTrue(lines.get(1).startsWith("target"), result.out());
    for (String target : List.of("shape", "colour", "size", "position", "word")) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(target + " ")), result.out());
    }
    String colour = lines.stream().filter(l -> l.startsWith("colour ")).findFirst().orElseThrow();
    String[] cells = colour.replace("%", "").trim().split("\\s+");
    double prior = Double.parseDouble(cells[2]);
    double encoderMean = Double.parseDouble(cells[3]);
    assertTrue(encoderMean > prior + 20, colour);

    Mm1Cli.Result bad = mm1("probe", runFile.toString(), "--items", "3");
    assertEquals(2, bad.status());
    assertEquals(List.of("mm1: error: --items must be at least 10, got 3"), bad.errorLines());
  }
}
