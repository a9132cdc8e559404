package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;

class TextTaskJsonlReaderTest {

  @TempDir Path dir;

  private static List<EvalItem.TextTask> readAll(TextTaskJsonlReader reader) {
    List<EvalItem.TextTask> out = new ArrayList<>();
    try (EvalStream<EvalItem.TextTask> stream = reader.open()) {
      stream.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void readsWhatTheWriterWrites() {
    Path file = dir.resolve("text-core.jsonl");
    List<EvalItem.TextTask> items =
        List.of(
            new EvalItem.TextTask("a", "count", "one, two,", "three"),
            new EvalItem.TextTask("b", "colour-fact", "snow is", "white"));
    try (TextTaskJsonlWriter writer = new TextTaskJsonlWriter(file)) {
      items.forEach(writer::write);
    }
    assertEquals(items, readAll(new TextTaskJsonlReader("t", file, 0)));
  }

  @Test
  void badLinesAreSkippedAndCountedAndDefaultsFillIn() throws IOException {
    Path file = dir.resolve("tasks.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add("{\"prompt\": \"p" + i + "\", \"answer\": \"a" + i + "\"}");
    }
    lines.add("");
    lines.add("{not json");
    lines.add("{\"prompt\": \"no answer\"}");
    Files.write(file, lines);
    TextTaskJsonlReader reader = new TextTaskJsonlReader("t", file, 0.1);
    List<EvalItem.TextTask> items;
    try (EvalStream<EvalItem.TextTask> stream = reader.open()) {
      items = new ArrayList<>();
      stream.forEachRemaining(items::add);
      assertEquals(2, stream.badRecords().bad());
    }
    assertEquals(30, items.size());
    assertEquals("tasks.jsonl:line 1", items.get(0).id());
    assertEquals(TextTaskJsonlReader.DEFAULT_TASK, items.get(0).task());

    UserException tooBad =
        assertThrows(UserException.class, () -> readAll(new TextTaskJsonlReader("t", file, 0.01)));
    assertTrue(tooBad.getMessage().contains("unreadable"), tooBad.getMessage());
    assertThrows(
        UserException.class, () -> new TextTaskJsonlReader("t", dir.resolve("missing.jsonl"), 0));
  }
}
