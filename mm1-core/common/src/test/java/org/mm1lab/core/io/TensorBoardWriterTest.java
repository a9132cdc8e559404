package org.mm1lab.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {

  @TempDir Path dir;

  @Test
  void theTestReadersChecksumIsTheStandardCrc32c() {
    // the check value of CRC-32C (RFC 3720, B.4)
    byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xE3069283, EventFileReader.crc32c(digits));
    assertEquals(EventFileReader.masked(0xE3069283), TfRecords.maskedCrc(digits, 0, 9));
  }

  @Test
  void eventsHoldTheSameNumbersAsTheMetricsLog() throws IOException {
    Path log = dir.resolve("metrics.jsonl");
    double before = System.currentTimeMillis() / 1000.0;
    try (MetricsWriter metrics = new MetricsWriter(log, 0, true)) {
      metrics.write(record(1, 5.25, 3.0e-5, 0.0123));
      JsonObject withNull = record(10, 4.125, 2.9e-4, 0.5);
      withNull.add("grad-norm", com.google.gson.JsonNull.INSTANCE);
      withNull.addProperty("note", "text is no scalar");
      metrics.write(withNull);
      metrics.write(record(20, 3.0625, 1.0e-4, 1e-9));
      assertTrue(metrics.tensorBoardFile().isPresent());
    }
    List<Path> files = eventFiles();
    assertEquals(1, files.size());
    assertTrue(
        files.get(0).getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\.\\S+"),
        files.get(0).toString());
    List<EventFileReader.Event> events = EventFileReader.read(files.get(0));
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    double after = System.currentTimeMillis() / 1000.0;
    for (EventFileReader.Event e : events) {
      assertTrue(e.wallTime() >= before - 1 && e.wallTime() <= after + 1, "wall time " + e);
    }
    assertEquals(expectedFrom(log), scalars(events));
    Map<Long, Map<String, Float>> read = scalars(events);
    assertEquals(Map.of("loss", 4.125f, "lr", 2.9e-4f, "aux/load-balance", 0.5f), read.get(10L));
  }

  @Test
  void aResumeDropsTheEventsOfLaterStepsAndATornTail() throws IOException {
    Path log = dir.resolve("metrics.jsonl");
    try (MetricsWriter metrics = new MetricsWriter(log, 0, true)) {
      for (int step = 1; step <= 5; step++) {
        metrics.write(record(step, 10 - step, 1e-3, 0.1));
      }
    }
    Path first = eventFiles().get(0);
    // a record cut short by a kill
    Files.write(first, new byte[] {42, 0, 0, 0, 0, 0, 0}, StandardOpenOption.APPEND);
    try (MetricsWriter metrics = new MetricsWriter(log, 3, true)) {
      metrics.write(record(4, 0.75, 2e-3, 0.2));
      metrics.write(record(5, 0.5, 2e-3, 0.2));
    }
    List<Path> files = eventFiles();
    assertEquals(2, files.size());
    List<EventFileReader.Event> all = new ArrayList<>();
    for (Path f : files) {
      List<EventFileReader.Event> events = EventFileReader.read(f);
      assertEquals("brain.Event:2", events.get(0).fileVersion());
      all.addAll(events);
    }
    List<Long> steps =
        all.stream().filter(e -> !e.scalars().isEmpty()).map(EventFileReader.Event::step).toList();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), steps);
    assertEquals(expectedFrom(log), scalars(all));
    assertEquals(0.5f, scalars(all).get(5L).get("loss"));
  }

  @Test
  void aNewRunRemovesOlderEventFiles() throws IOException {
    Path log = dir.resolve("metrics.jsonl");
    try (MetricsWriter metrics = new MetricsWriter(log, 0, true)) {
      metrics.write(record(1, 1, 1, 1));
    }
    try (MetricsWriter metrics = new MetricsWriter(log, 0, true)) {
      metrics.write(record(1, 2, 1, 1));
    }
    List<Path> files = eventFiles();
    assertEquals(1, files.size());
    assertEquals(2f, scalars(EventFileReader.read(files.get(0))).get(1L).get("loss"));
  }

  @Test
  void nothingIsWrittenWhenTurnedOff() throws IOException {
    try (MetricsWriter metrics = new MetricsWriter(dir.resolve("metrics.jsonl"), 0)) {
      metrics.write(record(1, 1, 1, 1));
      assertTrue(metrics.tensorBoardFile().isEmpty());
    }
    assertFalse(Files.exists(dir.resolve(TensorBoardWriter.FOLDER)));
  }

  @Test
  void scalarsAddedLaterGoToAFileOfTheirOwn() throws IOException {
    Path folder = dir.resolve(TensorBoardWriter.FOLDER);
    try (TensorBoardWriter training = TensorBoardWriter.continuing(folder, 0)) {
      training.scalars(7, Map.of("loss", 1.5f));
    }
    Map<String, Float> scores = new LinkedHashMap<>();
    scores.put("eval/caption/0-shot", 41.5f);
    scores.put("eval/vqa/4-shot", 63.25f);
    Path added;
    try (TensorBoardWriter eval = TensorBoardWriter.adding(folder)) {
      eval.scalars(7, scores);
      added = eval.file();
    }
    assertEquals(2, eventFiles().size());
    assertEquals(Map.of(7L, scores), scalars(EventFileReader.read(added)));
  }

  @Test
  void aRecordWithoutAStepIsRefused() {
    try (TensorBoardWriter writer =
        TensorBoardWriter.continuing(dir.resolve(TensorBoardWriter.FOLDER), 0)) {
      JsonObject record = new JsonObject();
      record.addProperty("loss", 1.0);
      assertThrows(IllegalArgumentException.class, () -> writer.write(record));
    }
  }

  @Test
  void aStepIsReadBackFromAnEventAndMalformedBytesAreRefused() {
    assertEquals(
        123456789012L,
        TensorBoardEvents.step(TensorBoardEvents.scalars(1, 123456789012L, Map.of())));
    assertEquals(0, TensorBoardEvents.step(TensorBoardEvents.fileVersion(1)));
    assertThrows(
        IllegalArgumentException.class, () -> TensorBoardEvents.step(new byte[] {(byte) 0x80}));
    assertThrows(
        IllegalArgumentException.class, () -> TensorBoardEvents.step(new byte[] {0x2a, 5}));
    assertThrows(IllegalArgumentException.class, () -> TensorBoardEvents.step(new byte[] {0x0b}));
  }

  @Test
  void tensorBoardsOwnReaderReadsTheSameNumbers() throws Exception {
    assumeTrue(
        pythonHasTensorBoard(),
        "TensorBoard's Python package is not installed (python3 -c 'import tensorboard' fails;"
            + " pip install tensorboard): only the independent reader checks the files");
    Path log = dir.resolve("metrics.jsonl");
    try (MetricsWriter metrics = new MetricsWriter(log, 0, true)) {
      metrics.write(record(1, 5.25, 3.0e-5, 0.0123));
      metrics.write(record(2, 4.5, 6.0e-5, 0.02));
    }
    String script =
        "import json,sys\n"
            + "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator\n"
            + "a = EventAccumulator(sys.argv[1]); a.Reload()\n"
            + "out = {}\n"
            + "for tag in a.Tags()['scalars']:\n"
            + "  for e in a.Scalars(tag): out.setdefault(str(e.step), {})[tag] = e.value\n"
            + "print(json.dumps(out))\n";
    Process p =
        new ProcessBuilder(
                "python3", "-c", script, dir.resolve(TensorBoardWriter.FOLDER).toString())
            .redirectErrorStream(false)
            .start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), json);
    Map<Long, Map<String, Float>> read = new TreeMap<>();
    for (Map.Entry<String, JsonElement> s :
        JsonParser.parseString(json).getAsJsonObject().entrySet()) {
      Map<String, Float> values = new TreeMap<>();
      for (Map.Entry<String, JsonElement> v : s.getValue().getAsJsonObject().entrySet()) {
        values.put(v.getKey(), v.getValue().getAsFloat());
      }
      read.put(Long.parseLong(s.getKey()), values);
    }
    Map<Long, Map<String, Float>> expected = new TreeMap<>();
    expectedFrom(log).forEach((k, v) -> expected.put(k, new TreeMap<>(v)));
    assertEquals(expected, read);
  }

  private static boolean pythonHasTensorBoard() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import tensorboard").start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static JsonObject record(int step, double loss, double lr, double aux) {
    JsonObject r = new JsonObject();
    r.addProperty("step", step);
    r.addProperty("loss", loss);
    r.addProperty("lr", lr);
    JsonObject nested = new JsonObject();
    nested.addProperty("load-balance", aux);
    r.add("aux", nested);
    return r;
  }

  private List<Path> eventFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(TensorBoardWriter.FOLDER))) {
      return files.sorted().toList();
    }
  }

  /** Step to tag to value, of the events that hold scalars. */
  private static Map<Long, Map<String, Float>> scalars(List<EventFileReader.Event> events) {
    Map<Long, Map<String, Float>> out = new LinkedHashMap<>();
    for (EventFileReader.Event e : events) {
      if (!e.scalars().isEmpty()) {
        assertFalse(out.containsKey(e.step()), "step " + e.step() + " twice");
        out.put(e.step(), e.scalars());
      }
    }
    return out;
  }

  /** The metrics log read as plain JSON: each number a float, nested numbers as key/inner. */
  private static Map<Long, Map<String, Float>> expectedFrom(Path log) throws IOException {
    Map<Long, Map<String, Float>> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      JsonObject r = JsonParser.parseString(line).getAsJsonObject();
      Map<String, Float> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : r.entrySet()) {
        if (e.getKey().equals("step")) {
          continue;
        }
        if (e.getValue().isJsonObject()) {
          for (Map.Entry<String, JsonElement> n : e.getValue().getAsJsonObject().entrySet()) {
            values.put(e.getKey() + "/" + n.getKey(), n.getValue().getAsFloat());
          }
        } else if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
          values.put(e.getKey(), e.getValue().getAsFloat());
        }
      }
      out.put(r.get("step").getAsLong(), values);
    }
    return out;
  }
}
