package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/**
 * {@code mm1 run} end to end on a tiny model over the built-in plugins: every artefact of the run
 * folder, then the trained model answering and captioning a new image, and a corrupt checkpoint
 * refused with one line.
 */
class RunCommandTest {

  @TempDir Path dir;

  @Test
  void runTrainsEvaluatesReportsAndTheModelAnswers() throws Exception {
    Path runFile = dir.resolve("tiny.conf");
    Files.writeString(
        runFile,
        InterruptTest.TINY_RUN
            .replace("steps = 100000", "steps = 8")
            .replace(
                "  data.mix", "  eval { items = 6, shots = [0, 1], examples = 2 }\n  data.mix"));
    Path run = dir.resolve("run");
    Result result = mm1("run", runFile.toString(), "--out", run.toString());
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("CIDEr-D"), result.out());

    for (String artefact :
        List.of(
            "run.conf",
            "metrics.jsonl",
            "checkpoints/step-00000008/model.safetensors",
            "checkpoints/step-00000008/optimizer.safetensors",
            "checkpoints/step-00000008/state.json",
            "eval/results.json",
            "eval/examples.json",
            "eval/predictions.jsonl",
            "report/index.html",
            "report/loss.png",
            "report/lr.png",
            "report.md")) {
      assertTrue(Files.isRegularFile(run.resolve(artefact)), artefact);
    }
    // the training's and the evaluation's TensorBoard event files (their content:
    // TensorBoardWriterTest)
    try (Stream<Path> events = Files.list(run.resolve("tensorboard"))) {
      assertEquals(
          2,
          events
              .filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
              .count());
    }
    assertTrue(result.out().contains("TensorBoard: " + run.resolve("tensorboard")), result.out());
    try (Stream<Path> examples = Files.list(run.resolve("eval/examples"))) {
      assertTrue(examples.anyMatch(p -> p.toString().endsWith(".png")), "example images");
    }
    String markdown = Files.readString(run.resolve("report.md"));
    assertTrue(markdown.contains("| caption"), markdown);
    assertFalse(markdown.contains("Evaluation has not run"), markdown);

    // A new image, written by the test: the trained model answers and captions it.
    BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    image.getGraphics().fillOval(5, 5, 30, 30);
    Path png = dir.resolve("new.png");
    ImageIO.write(image, "png", png.toFile());
    Result answer = mm1("ask", run.toString(), png.toString(), "how many objects are there?");
    assertEquals(0, answer.status(), answer.err());
    assertEquals(1, answer.out().strip().lines().count(), answer.out());
    Result caption =
        mm1("caption", run.resolve("checkpoints/step-00000008").toString(), png.toString());
    assertEquals(0, caption.status(), caption.err());
    assertTrue(caption.out().startsWith(png + ": "), caption.out());

    // Not an image: one line naming the file.
    Path notImage = dir.resolve("notes.png");
    Files.writeString(notImage, "not a picture");
    Result bad = mm1("ask", run.toString(), notImage.toString(), "what?");
    assertEquals(2, bad.status());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().contains(notImage.toString()), bad.err());

    // A flipped byte in the model file: refused with one line, nothing evaluated.
    Path model = run.resolve("checkpoints/step-00000008/model.safetensors");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length - 3] ^= 0x5a;
    Files.write(model, bytes);
    Result corrupt = mm1("eval", run.toString());
    assertEquals(2, corrupt.status(), corrupt.err());
    assertEquals(1, corrupt.err().strip().lines().count(), corrupt.err());
    assertTrue(corrupt.err().contains("does not match its checksum"), corrupt.err());
    assertFalse(corrupt.err().contains("\tat "), corrupt.err());
  }
}
