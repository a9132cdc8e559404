package org.mm1lab.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

/** The folder lock: one holder, and a folder left as found when its holder wrote nothing. */
class FolderLockTest {

  @TempDir Path dir;

  @Test
  void aLockThatWroteNothingLeavesNoTrace() throws Exception {
    Path folder = dir.resolve("a/b/run");
    try (FolderLock lock = FolderLock.acquire(folder, "mm1 train")) {
      assertTrue(Files.isRegularFile(folder.resolve(".mm1.lock")));
      String holder = Files.readString(folder.resolve(".mm1.lock"), StandardCharsets.UTF_8);
      assertTrue(holder.startsWith("pid " + ProcessHandle.current().pid() + "\n"), holder);
      assertEquals(folder.toAbsolutePath(), lock.folder());
    }
    assertFalse(Files.exists(dir.resolve("a")), "the folders made for the lock are gone");

    Path existing = Files.createDirectories(dir.resolve("old"));
    Files.writeString(existing.resolve(".mm1.lock"), "left by a killed process\n");
    try (FolderLock lock = FolderLock.acquire(existing, "mm1 train")) {
      assertTrue(Files.readString(existing.resolve(".mm1.lock")).startsWith("pid "));
    }
    assertEquals("left by a killed process\n", Files.readString(existing.resolve(".mm1.lock")));
  }

  @Test
  void aLockThatWroteRemovesItsFileAndKeepsTheFolder() throws Exception {
    Path folder = dir.resolve("run");
    try (FolderLock lock = FolderLock.acquire(folder, "mm1 train")) {
      Files.writeString(folder.resolve("run.conf"), "mm1 {}\n");
      lock.written();
    }
    assertTrue(Files.isRegularFile(folder.resolve("run.conf")));
    assertFalse(Files.exists(folder.resolve(".mm1.lock")));
  }

  @Test
  void anotherThreadIsRefusedAndTheHoldingThreadMayNest() throws Exception {
    Path folder = dir.resolve("run");
    try (FolderLock outer = FolderLock.acquire(folder, "mm1 run")) {
      try (FolderLock inner = FolderLock.acquire(folder, "mm1 eval")) {
        assertSame(outer, inner);
      }
      UserException e =
          assertThrows(
              UserException.class,
              () -> {
                try {
                  CompletableFuture.runAsync(() -> FolderLock.acquire(folder, "mm1 train")).join();
                } catch (java.util.concurrent.CompletionException wrapped) {
                  throw wrapped.getCause();
                }
              });
      assertTrue(
          e.getMessage()
              .startsWith(
                  folder + " is in use by process " + ProcessHandle.current().pid() + " (mm1 run"),
          e.getMessage());
      assertTrue(Files.exists(folder.resolve(".mm1.lock")), "still held after the inner close");
    }
    // Released: another thread takes it.
    CompletableFuture.runAsync(() -> FolderLock.acquire(folder, "mm1 train").close()).join();
  }
}
