package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;
import org.mm1lab.core.io.FolderLock;
import org.mm1lab.core.testplugin.RunFiles;

/**
 * Every command that writes a folder takes its lock: with the folder held by another writer (here
 * another thread, which the lock treats as another process), {@code ablate} and {@code
 * pretrain-encoder} are refused with one line naming the holder, before writing anything.
 */
class WriterLocksTest {

  @TempDir Path dir;

  /** Runs {@code command} while another thread holds the lock of {@code folder}. */
  private static Result whileHeld(Path folder, Supplier<Result> command) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              try (FolderLock lock = FolderLock.acquire(folder, "mm1 train")) {
                held.countDown();
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    holder.start();
    held.await();
    try {
      return command.get();
    } finally {
      done.countDown();
      holder.join();
    }
  }

  private static void assertRefused(Result result, Path folder) {
    assertEquals(2, result.status(), result.err());
    assertEquals(1, result.errLines().size(), result.err());
    assertTrue(
        result
            .err()
            .startsWith(
                "mm1: error: "
                    + folder
                    + " is in use by process "
                    + ProcessHandle.current().pid()
                    + " (mm1 train since "),
        result.err());
  }

  @Test
  void aSecondAblateOfTheFolderIsRefused() throws Exception {
    Files.writeString(dir.resolve("tiny.conf"), AblateCommandTest.TINY_BASE);
    Path grid =
        Files.writeString(
            dir.resolve("grid.conf"),
            "ablation {\n name = tokens\n base = tiny.conf\n"
                + " axes { \"mm1.model.connector.tokens\" = [1, 4] }\n}\n");
    Path out = dir.resolve("ablation");
    Result result = whileHeld(out, () -> mm1("ablate", grid.toString(), "--out", out.toString()));
    assertRefused(result, out);
    assertEquals(List.of(), Files.exists(out) ? listing(out) : List.of(), "nothing written");
  }

  @Test
  void aSecondPretrainingOfTheFolderIsRefused() throws Exception {
    Path runFile =
        RunFiles.write(
            dir,
            "run.conf",
            RunFiles.standInRunWith(
                "encoder { type = stand-in-encoder }",
                "encoder { type = clip-vit, image-size = 32, patch-size = 8, width = 16,"
                    + " layers = 1, heads = 2, embed-dim = 16, text-width = 16, text-layers = 1 }"));
    Path out = dir.resolve("encoder");
    Result result =
        whileHeld(out, () -> mm1("pretrain-encoder", runFile.toString(), "--out", out.toString()));
    assertRefused(result, out);
    assertEquals(List.of(), Files.exists(out) ? listing(out) : List.of(), "nothing written");
  }

  private static List<String> listing(Path folder) {
    try (var entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
