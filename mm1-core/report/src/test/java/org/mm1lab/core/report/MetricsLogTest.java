package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

class MetricsLogTest {

  @TempDir Path dir;

  private Path write(String... lines) throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, String.join("\n", lines));
    return file;
  }

  @Test
  void readsColumnsAndSkipsATornLastLine() throws Exception {
    Path file =
        write(
            "{\"step\":1,\"loss\":3.5,\"lr\":0.0001,\"grad-norm\":1.5,\"tokens-per-s\":1000,"
                + "\"elapsed-s\":1.0,\"aux\":{\"load-balance\":0.02},\"expert-load\":"
                + "{\"layer-1\":[0.5,0.5]},\"new-metric\":7}",
            "",
            "{\"step\":2,\"loss\":3.0,\"lr\":0.0002,\"grad-norm\":1.25,\"tokens-per-s\":1100,"
                + "\"elapsed-s\":2.0,\"aux\":{\"load-balance\":0.01,\"router-z\":0.001}}",
            "{\"step\":3,\"loss\":2.5,\"l");

    MetricsLog log = MetricsLog.read(file);

    assertEquals(2, log.size());
    assertArrayEquals(new double[] {1, 2}, log.steps());
    assertArrayEquals(new double[] {3.5, 3.0}, log.loss());
    assertArrayEquals(new double[] {1e-4, 2e-4}, log.learningRate());
    assertArrayEquals(new double[] {1.5, 1.25}, log.gradNorm());
    assertArrayEquals(new double[] {1000, 1100}, log.tokensPerSecond());
    assertArrayEquals(new double[] {1, 2}, log.elapsedSeconds());
    assertEquals(List.of("load-balance", "router-z"), log.auxNames());
    assertArrayEquals(new double[] {0.02, 0.01}, log.aux("load-balance"));
    assertArrayEquals(new double[] {Double.NaN, 0.001}, log.aux("router-z"));
    assertTrue(log.skippedTornLine());
    assertEquals(2, log.lastStep().getAsLong());
    assertEquals(3.0, log.finalLoss().getAsDouble());
  }

  @Test
  void aCompleteLogHasNoTornLine() throws Exception {
    MetricsLog log =
        MetricsLog.read(write("{\"step\":1,\"loss\":2}", "{\"step\":2,\"loss\":1}", ""));
    assertFalse(log.skippedTornLine());
    assertEquals(2, log.size());
    assertArrayEquals(new double[] {Double.NaN, Double.NaN}, log.learningRate());
  }

  @Test
  void aCorruptLineInTheMiddleIsNamedByFileAndLine() throws Exception {
    Path file =
        write(
            "{\"step\":1,\"loss\":2}",
            "{\"step\":2,\"loss\":1}",
            "{\"step\":3,\"lo",
            "{\"step\":4}");
    UserException e = assertThrows(UserException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().startsWith(file + ":3: malformed JSON"), e.getMessage());
  }

  @Test
  void aNonNumericKnownValueIsAnError() throws Exception {
    Path file = write("{\"step\":1,\"loss\":\"high\"}", "{\"step\":2,\"loss\":1}");
    UserException e = assertThrows(UserException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().startsWith(file + ":1: \"loss\" is not a number"), e.getMessage());
  }

  @Test
  void aLineWithoutAStepIsAnError() throws Exception {
    Path file = write("{\"loss\":1}", "{\"step\":2,\"loss\":1}");
    UserException e = assertThrows(UserException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().contains(":1: no whole-number \"step\""), e.getMessage());
  }

  @Test
  void aDivergedRunMayLogNaN() throws Exception {
    MetricsLog log =
        MetricsLog.read(write("{\"step\":1,\"loss\":2.0}", "{\"step\":2,\"loss\":NaN}"));
    assertTrue(Double.isNaN(log.loss()[1]));
    assertEquals(2.0, log.finalLoss().getAsDouble(), "the last finite loss");
  }

  @Test
  void stepsLoggedAgainAfterAResumeReplaceTheEarlierOnes() throws Exception {
    MetricsLog log =
        MetricsLog.read(
            write(
                "{\"step\":10,\"loss\":5}",
                "{\"step\":20,\"loss\":4}",
                "{\"step\":30,\"loss\":3}",
                "{\"step\":20,\"loss\":4.1}",
                "{\"step\":30,\"loss\":3.1}",
                "{\"step\":40,\"loss\":2.1}"));
    assertArrayEquals(new double[] {10, 20, 30, 40}, log.steps());
    assertArrayEquals(new double[] {5, 4.1, 3.1, 2.1}, log.loss());
  }

  @Test
  void aMixedPrecisionLogHasLossScalesAndSkippedStepsAFloat32LogNone() throws Exception {
    MetricsLog mixed =
        MetricsLog.read(
            write(
                "{\"step\":1,\"loss\":5,\"loss-scale\":65536.0,\"skipped-steps\":1}",
                "{\"step\":2,\"loss\":4,\"grad-norm\":1.5,\"loss-scale\":32768.0,"
                    + "\"skipped-steps\":0}",
                "{\"step\":3,\"loss\":3,\"grad-norm\":1.2,\"loss-scale\":32768.0,"
                    + "\"skipped-steps\":2}"));
    assertArrayEquals(new double[] {65536, 32768, 32768}, mixed.lossScale());
    assertArrayEquals(new double[] {Double.NaN, 1.5, 1.2}, mixed.gradNorm());
    assertEquals(3, mixed.skippedSteps().getAsLong());

    MetricsLog exact = MetricsLog.read(write("{\"step\":1,\"loss\":5,\"grad-norm\":1}"));
    assertArrayEquals(new double[] {Double.NaN}, exact.lossScale());
    assertTrue(exact.skippedSteps().isEmpty());
  }

  @Test
  void aMissingFileIsAUserError() {
    Path file = dir.resolve("metrics.jsonl");
    UserException e = assertThrows(UserException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
