package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;

/** The training loop over the stand-in plugin, on the synthetic world, in real run folders. */
class TrainerTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(TrainerTest.class.getClassLoader());
  private final StringWriter console = new StringWriter();

  private RunTraining.Result train(Path out, StopSignal stop, String... overrides) {
    List<String> all =
        new ArrayList<>(List.of("mm1.data.mix.order=[captioned, text, interleaved]"));
    all.addAll(List.of(overrides));
    Path runFile = RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN);
    return new RunTraining(assembly, new PrintWriter(console, true), false)
        .train(runFile, all, out, stop);
  }

  private static List<JsonObject> metrics(Path runDir) throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    for (String line :
        Files.readAllLines(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
      lines.add(JsonParser.parseString(line).getAsJsonObject());
    }
    return lines;
  }

  /** The parameters of a checkpoint, by name, as stored. */
  private static Map<String, float[]> parameters(Path checkpoint) throws IOException {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager();
        var reader =
            org.mm1lab.toolkit.weights.SafetensorsReader.open(
                checkpoint.resolve("model.safetensors"))) {
      for (String name : reader.names()) {
        out.put(name, reader.read(name, manager).toFloatArray());
      }
    }
    return out;
  }

  @Test
  void trainsAndWritesTheRunFolder() throws IOException {
    Path run = dir.resolve("run");
    RunTraining.Result result =
        train(
            run,
            StopSignal.manual(),
            "mm1.train.steps=12",
            "mm1.train.log-every=4",
            "mm1.train.checkpoint-every=5",
            "mm1.train.keep-checkpoints=2",
            "mm1.train.lr=0.003");
    assertEquals(12, result.outcome().step());
    assertFalse(result.outcome().interrupted());
    assertTrue(Files.readString(run.resolve("run.conf")).contains("stand-in-decoder"));
    List<JsonObject> lines = metrics(run);
    // the first step, every 4th, and the last
    assertEquals(List.of(1, 4, 8, 12), lines.stream().map(l -> l.get("step").getAsInt()).toList());
    for (String key : List.of("loss", "lr", "grad-norm", "tokens-per-s", "step-s", "elapsed-s")) {
      assertTrue(lines.get(0).has(key), key + " in " + lines.get(0));
    }
    assertTrue(
        lines.get(3).get("loss").getAsDouble() < lines.get(0).get("loss").getAsDouble(),
        "loss falls: " + lines);
    // TensorBoard events beside the log by default (their content: TensorBoardWriterTest)
    try (Stream<Path> events = Files.list(run.resolve("tensorboard"))) {
      List<Path> files = events.toList();
      assertEquals(1, files.size());
      assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."));
      assertTrue(Files.size(files.get(0)) > 4 * 40, files.get(0) + " holds the 4 logged steps");
    }
    // checkpoints at 5, 10 and the last step; the newest two are kept
    try (Stream<Path> folders = Files.list(run.resolve("checkpoints"))) {
      assertEquals(
          List.of("step-00000010", "step-00000012"),
          folders.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * A line stands for every step since the previous one: its loss is their mean (checked against
   * the same run logged at every step), with the last step's loss and the largest gradient norm
   * beside it.
   */
  @Test
  void aLoggedLineHoldsTheMeansOverItsInterval() throws IOException {
    String[] common = {"mm1.train.steps=8", "mm1.train.lr=0.003", "mm1.train.warmup=2"};
    Path everyStep = dir.resolve("every-step");
    train(everyStep, StopSignal.manual(), concat(common, "mm1.train.log-every=1"));
    Path everyFourth = dir.resolve("every-fourth");
    train(everyFourth, StopSignal.manual(), concat(common, "mm1.train.log-every=4"));

    List<JsonObject> steps = metrics(everyStep);
    List<JsonObject> lines = metrics(everyFourth);
    assertEquals(List.of(1, 4, 8), lines.stream().map(l -> l.get("step").getAsInt()).toList());
    assertEquals(
        List.of(1, 3, 4), lines.stream().map(l -> l.get("interval-steps").getAsInt()).toList());
    // steps 2..4, then 5..8 (1-based), as the every-step run logged them one by one
    int[][] intervals = {{0, 1}, {1, 4}, {4, 8}};
    for (int k = 0; k < lines.size(); k++) {
      double sum = 0;
      double maxNorm = 0;
      for (int i = intervals[k][0]; i < intervals[k][1]; i++) {
        sum += steps.get(i).get("loss").getAsDouble();
        maxNorm = Math.max(maxNorm, steps.get(i).get("grad-norm").getAsDouble());
      }
      JsonObject line = lines.get(k);
      double mean = sum / (intervals[k][1] - intervals[k][0]);
      assertEquals(mean, line.get("loss").getAsDouble(), 1e-6, "mean loss of line " + k);
      assertEquals(
          steps.get(intervals[k][1] - 1).get("loss").getAsDouble(),
          line.get("loss-last").getAsDouble(),
          1e-6,
          "last loss of line " + k);
      assertEquals(maxNorm, line.get("grad-norm-max").getAsDouble(), 1e-6, "max norm " + k);
    }
    assertNotEquals(
        lines.get(2).get("loss").getAsDouble(),
        lines.get(2).get("loss-last").getAsDouble(),
        "a mean over four different losses is not the last of them");
  }

  @Test
  void resumedRunEqualsAnUninterruptedOne() throws IOException {
    String[] common = {
      "mm1.train.log-every=1",
      "mm1.train.checkpoint-every=3",
      "mm1.train.lr=0.003",
      "mm1.train.warmup=2"
    };
    Path straight = dir.resolve("straight");
    train(straight, StopSignal.manual(), concat(common, "mm1.train.steps=6"));

    Path resumed = dir.resolve("resumed");
    // A stop requested from the start ends the run after its first step, with a checkpoint.
    StopSignal stop = StopSignal.manual();
    stop.request();
    RunTraining.Result first = train(resumed, stop, concat(common, "mm1.train.steps=6"));
    assertTrue(first.outcome().interrupted());
    assertEquals(1, first.outcome().step());
    // A new model, optimizer and pipeline continue from that checkpoint, as a new process would.
    RunTraining.Result rest =
        train(resumed, StopSignal.manual(), concat(common, "mm1.train.steps=6"));
    assertEquals(6, rest.outcome().step());
    assertTrue(console.toString().contains("resuming from"), console.toString());

    List<JsonObject> a = metrics(straight);
    List<JsonObject> b = metrics(resumed);
    assertEquals(6, b.size(), "one line per step, none twice: " + b);
    for (int i = 0; i < 6; i++) {
      for (String key : List.of("step", "loss", "lr", "grad-norm")) {
        assertEquals(a.get(i).get(key), b.get(i).get(key), key + " at line " + i);
      }
    }
    Map<String, float[]> pa = parameters(straight.resolve("checkpoints/step-00000006"));
    Map<String, float[]> pb = parameters(resumed.resolve("checkpoints/step-00000006"));
    assertEquals(pa.keySet(), pb.keySet());
    pa.forEach((name, values) -> assertArrayEquals(values, pb.get(name), name));
  }

  /**
   * A mixed-precision run whose first step overflows (a loss scale of 2^40) skips it, logs the skip
   * and the scale, and, stopped after that step and resumed, continues with the numbers of an
   * uninterrupted run: the scaler's state travels in the checkpoint.
   */
  @Test
  void mixedPrecisionLogsTheSkippedStepAndResumesWithItsLossScale() throws IOException {
    String[] common = {
      "mm1.train.precision=fp16-mixed",
      "mm1.train.loss-scale.initial=1099511627776", // 2^40
      "mm1.train.loss-scale.backoff-factor=9.313225746154785E-10", // 2^-30
      "mm1.train.loss-scale.growth-interval=2",
      "mm1.train.log-every=1",
      "mm1.train.checkpoint-every=2",
      "mm1.train.lr=0.003",
      "mm1.train.steps=5"
    };
    Path straight = dir.resolve("straight-fp16");
    train(straight, StopSignal.manual(), common);
    assertTrue(console.toString().contains("precision: fp16-mixed"), console.toString());
    assertTrue(console.toString().contains("loss scale 1099511627776"), console.toString());

    List<JsonObject> lines = metrics(straight);
    assertEquals(5, lines.size());
    JsonObject skipped = lines.get(0);
    assertEquals(1, skipped.get("skipped-steps").getAsInt(), skipped.toString());
    assertEquals(0x1p40, skipped.get("loss-scale").getAsDouble(), skipped.toString());
    assertFalse(skipped.has("grad-norm"), "a skipped step's norm is not a norm: " + skipped);
    assertTrue(Double.isFinite(skipped.get("loss").getAsDouble()), skipped.toString());
    // 2^40 x 2^-30 = 1024; two good steps in a row double it
    double[] scales = {0x1p40, 0x1p10, 0x1p10, 0x1p11, 0x1p11};
    for (int i = 1; i < 5; i++) {
      JsonObject line = lines.get(i);
      assertEquals(0, line.get("skipped-steps").getAsInt(), line.toString());
      assertEquals(scales[i], line.get("loss-scale").getAsDouble(), line.toString());
      assertTrue(line.get("grad-norm").getAsDouble() > 0, line.toString());
    }
    JsonObject state =
        JsonParser.parseString(
                Files.readString(straight.resolve("checkpoints/step-00000005/state.json")))
            .getAsJsonObject();
    assertEquals(4, state.get("optimizer-step").getAsInt(), "the skipped step made no update");
    assertEquals(1, state.getAsJsonObject("loss-scale").get("skipped-steps").getAsInt());

    Path resumed = dir.resolve("resumed-fp16");
    StopSignal stop = StopSignal.manual();
    stop.request();
    assertEquals(1, train(resumed, stop, common).outcome().step());
    assertEquals(5, train(resumed, StopSignal.manual(), common).outcome().step());
    List<JsonObject> again = metrics(resumed);
    assertEquals(5, again.size());
    for (int i = 0; i < 5; i++) {
      for (String key : List.of("step", "loss", "grad-norm", "loss-scale", "skipped-steps")) {
        assertEquals(lines.get(i).get(key), again.get(i).get(key), key + " at line " + i);
      }
    }
    Map<String, float[]> pa = parameters(straight.resolve("checkpoints/step-00000005"));
    Map<String, float[]> pb = parameters(resumed.resolve("checkpoints/step-00000005"));
    assertEquals(pa.keySet(), pb.keySet());
    pa.forEach((name, values) -> assertArrayEquals(values, pb.get(name), name));
  }

  @Test
  void frozenComponentsDoNotChange() throws IOException {
    Path run = dir.resolve("frozen");
    train(
        run,
        StopSignal.manual(),
        "mm1.train.steps=3",
        "mm1.train.freeze=[encoder]",
        "mm1.train.checkpoint-every=1",
        "mm1.train.keep-checkpoints=5");
    Map<String, float[]> first = parameters(run.resolve("checkpoints/step-00000001"));
    Map<String, float[]> last = parameters(run.resolve("checkpoints/step-00000003"));
    int encoder = 0;
    int changed = 0;
    for (String name : first.keySet()) {
      boolean same = java.util.Arrays.equals(first.get(name), last.get(name));
      if (name.contains("encoder")) {
        encoder++;
        assertTrue(same, name + " is frozen but changed");
      } else if (!same) {
        changed++;
      }
    }
    assertTrue(
        encoder > 0 && changed > 0, "encoder parameters " + encoder + ", changed " + changed);
  }

  @Test
  void aComponentsRateScaleShrinksItsUpdates() throws IOException {
    Path full = dir.resolve("rate-full");
    Path slow = dir.resolve("rate-slow");
    String[] common = {"mm1.train.steps=2", "mm1.train.checkpoint-every=1", "mm1.train.warmup=0"};
    train(full, StopSignal.manual(), common);
    train(slow, StopSignal.manual(), concat(common, "mm1.train.lr-scale.encoder=0.01"));
    Map<String, float[]> start = parameters(full.resolve("checkpoints/step-00000001"));
    Map<String, float[]> slowStart = parameters(slow.resolve("checkpoints/step-00000001"));
    Map<String, float[]> fullEnd = parameters(full.resolve("checkpoints/step-00000002"));
    Map<String, float[]> slowEnd = parameters(slow.resolve("checkpoints/step-00000002"));
    int encoder = 0;
    for (String name : start.keySet()) {
      if (!name.contains("encoder")) {
        continue;
      }
      double fullMove = distance(start.get(name), fullEnd.get(name));
      double slowMove = distance(slowStart.get(name), slowEnd.get(name));
      if (fullMove > 0) {
        encoder++;
        // Adam's step is the rate times a normalised gradient: a hundredth of the rate moves a
        // weight by about a hundredth as far
        assertTrue(slowMove < fullMove / 20, name + ": " + slowMove + " vs " + fullMove);
      }
    }
    assertTrue(encoder > 0, "no encoder parameter moved");
    UserException e =
        assertThrows(
            UserException.class,
            () ->
                train(
                    dir.resolve("bad-rate"), StopSignal.manual(), "mm1.train.lr-scale.encoder=0"));
    assertTrue(e.getMessage().contains("mm1.train.lr-scale.encoder"), e.getMessage());
  }

  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }

  @Test
  void connectorOnlyStepsTrainTheConnectorAlone() throws IOException {
    Path run = dir.resolve("stage1");
    train(
        run,
        StopSignal.manual(),
        "mm1.train.steps=4",
        "mm1.train.connector-only-steps=2",
        "mm1.train.checkpoint-every=1",
        "mm1.train.keep-checkpoints=5",
        "mm1.train.warmup=0");
    Map<String, float[]> s1 = parameters(run.resolve("checkpoints/step-00000001"));
    Map<String, float[]> s2 = parameters(run.resolve("checkpoints/step-00000002"));
    Map<String, float[]> s4 = parameters(run.resolve("checkpoints/step-00000004"));
    for (String name : s1.keySet()) {
      boolean stage1Change = !java.util.Arrays.equals(s1.get(name), s2.get(name));
      boolean stage2Change = !java.util.Arrays.equals(s2.get(name), s4.get(name));
      assertEquals(name.contains("connector"), stage1Change, name + " in the connector-only steps");
      assertTrue(stage2Change, name + " trains after them");
    }
  }

  @Test
  void gradientAccumulationOfOneBatchEqualsThePlainStep() throws IOException {
    // Two micro-batches of 2 see the same rows as one batch of 4 only if rows were independent;
    // what must hold exactly is that accumulate = 1 is the plain step, and accumulate = 2 consumes
    // two batches per step (visible in the data position) and still learns.
    Path plain = dir.resolve("plain");
    Path twice = dir.resolve("twice");
    train(
        plain,
        StopSignal.manual(),
        "mm1.train.steps=4",
        "mm1.train.batch-size=2",
        "mm1.train.log-every=1");
    train(
        twice,
        StopSignal.manual(),
        "mm1.train.steps=2",
        "mm1.train.batch-size=2",
        "mm1.train.accumulate=2",
        "mm1.train.log-every=1");
    String plainState = Files.readString(plain.resolve("checkpoints/step-00000004/state.json"));
    String twiceState = Files.readString(twice.resolve("checkpoints/step-00000002/state.json"));
    assertEquals(position(plainState), position(twiceState), "both consumed 8 examples");
    assertNotEquals(metrics(twice).get(0).get("loss"), metrics(plain).get(0).get("loss"));
  }

  private static String position(String stateJson) {
    JsonObject state = JsonParser.parseString(stateJson).getAsJsonObject();
    return state.get("positions").toString() + state.get("mixer-state");
  }

  @Test
  void aFolderWithAnotherRunIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path run = dir.resolve("taken");
    train(run, StopSignal.manual(), "mm1.train.steps=1");
    String before = Files.readString(run.resolve("run.conf"));
    UserException e =
        assertThrows(
            UserException.class,
            () -> train(run, StopSignal.manual(), "mm1.train.steps=1", "mm1.train.lr=0.002"));
    assertTrue(e.getMessage().contains("mm1.train.lr was"), e.getMessage());
    assertEquals(before, Files.readString(run.resolve("run.conf")));
  }

  @Test
  void badTrainingSettingsNameThePath() {
    UserException e =
        assertThrows(
            UserException.class,
            () -> train(dir.resolve("bad"), StopSignal.manual(), "mm1.train.freeze=[encodr]"));
    assertTrue(e.getMessage().startsWith("mm1.train.freeze (--set"), e.getMessage());
    assertTrue(e.getMessage().contains("'encodr' is no component"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("bad")), "nothing written");
  }

  @Test
  void aPrecisionOtherThanTheTwoIsRefusedNamingThem() {
    UserException e =
        assertThrows(
            UserException.class,
            () -> train(dir.resolve("bad"), StopSignal.manual(), "mm1.train.precision=fp16"));
    assertTrue(e.getMessage().startsWith("mm1.train.precision (--set"), e.getMessage());
    assertTrue(e.getMessage().contains("'fp16' is not one of fp32, fp16-mixed"), e.getMessage());
    e =
        assertThrows(
            UserException.class,
            () ->
                train(
                    dir.resolve("bad"),
                    StopSignal.manual(),
                    "mm1.train.loss-scale.backoff-factor=1.5"));
    assertTrue(
        e.getMessage().startsWith("mm1.train.loss-scale.backoff-factor (--set"), e.getMessage());
    assertTrue(e.getMessage().contains("must be in (0, 1)"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("bad")), "nothing written");
  }

  @Test
  void finishedRunHasNothingToDo() {
    Path run = dir.resolve("done");
    train(run, StopSignal.manual(), "mm1.train.steps=2");
    RunTraining.Result again = train(run, StopSignal.manual(), "mm1.train.steps=2");
    assertEquals(2, again.outcome().step());
    assertTrue(console.toString().contains("nothing to do"), console.toString());
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
