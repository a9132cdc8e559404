package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

class EvalHistoryTest {

  @TempDir Path dir;

  private static String line(long step, String results) {
    return "{\"run\":\"r\",\"step\":" + step + ",\"results\":[" + results + "]}\n";
  }

  private static String score(String task, int shots, String metric, double score) {
    return "{\"task\":\""
        + task
        + "\",\"shots\":"
        + shots
        + ",\"metric\":\""
        + metric
        + "\",\"score\":"
        + score
        + "}";
  }

  @Test
  void scoresLineUpByStepAndTheLatestEvaluationOfAStepWins() throws Exception {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(
        file,
        line(200, score("vqa", 0, "VQA accuracy", 40) + "," + score("vqa/colour", 0, "x", 1))
            + line(100, score("vqa", 0, "VQA accuracy", 30))
            + line(
                200, score("vqa", 0, "VQA accuracy", 42) + "," + score("caption", 0, "CIDEr-D", 5))
            + "{\"step\":300,\"res");
    EvalHistory history = EvalHistory.read(file);
    assertArrayEquals(new double[] {100, 200}, history.steps());
    assertEquals(2, history.lines().size(), "the break-down row is no line");
    assertEquals("vqa 0-shot (VQA accuracy)", history.lines().get(0).label());
    assertArrayEquals(new double[] {30, 42}, history.lines().get(0).scores());
    assertArrayEquals(new double[] {Double.NaN, 5}, history.lines().get(1).scores());
  }

  @Test
  void aBrokenLineBeforeTheLastNamesItsLine() throws Exception {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(file, "{\"step\":1}\n" + line(2, score("vqa", 0, "a", 1)));
    UserException e = assertThrows(UserException.class, () -> EvalHistory.read(file));
    assertTrue(e.getMessage().startsWith(file + ":1: "), e.getMessage());
  }
}
