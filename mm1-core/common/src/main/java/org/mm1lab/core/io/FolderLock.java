package org.mm1lab.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.layout.RunLayout;

/**
 * The one writer of a run or ablation folder: an operating-system lock ({@link
 * FileChannel#tryLock}) on {@link RunLayout#LOCK} in the folder, held until {@link #close}. The
 * system drops the lock when its process dies, however it dies, so a lock never outlives its writer
 * and nobody has to remove a stale one. A second writer is refused at once with one line naming the
 * holder's process id (written into the lock file); readers never take the lock.
 *
 * <p>Taking the lock changes nothing a user would see: {@link #close} removes the lock file and the
 * folders that were created for it (when still empty), or puts back the bytes the file had, so that
 * a command refused after taking the lock leaves the folder exactly as it was. A writer that
 * changed the folder says so with {@link #written}, after which the lock file is removed rather
 * than restored.
 *
 * <p>Within one process the lock belongs to the thread that took it: that thread may take it again
 * (a training inside a {@code run} command, say), and any other thread is refused as another
 * process would be.
 */
public final class FolderLock implements AutoCloseable {

  private static final int ATTEMPTS = 20;
  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** The locks this process holds, by folder. */
  private static final Map<Path, FolderLock> HELD = new HashMap<>();

  private final Path folder;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final byte[] previous;
  private final List<Path> created;
  private final Thread owner;
  private final String command;
  private final Instant since = Instant.now();
  private int depth = 1;
  private boolean written;

  private FolderLock(
      Path folder,
      Path file,
      FileChannel channel,
      FileLock lock,
      byte[] previous,
      List<Path> created,
      String command) {
    this.command = command;
    this.folder = folder;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.previous = previous;
    this.created = created;
    this.owner = Thread.currentThread();
  }

  /**
   * Takes the lock of {@code folder}, creating the folder when it does not exist.
   *
   * @param folder a run or ablation folder
   * @param command what writes, as the refusal of another writer names it (e.g. {@code mm1 train})
   * @throws UserException when another process (or another thread of this one) holds it, or the
   *     folder cannot be written
   */
  public static FolderLock acquire(Path folder, String command) {
    Path root = folder.toAbsolutePath().normalize();
    synchronized (HELD) {
      FolderLock held = HELD.get(root);
      if (held != null) {
        if (held.owner != Thread.currentThread()) {
          throw inUse(folder, held.describe());
        }
        held.depth++;
        return held;
      }
      FolderLock taken = take(folder, root, command);
      HELD.put(root, taken);
      return taken;
    }
  }

  /** This process's hold, as a refusal names it. */
  private String describe() {
    return "process "
        + ProcessHandle.current().pid()
        + " ("
        + command
        + " since "
        + SINCE.format(since)
        + ", this process)";
  }

  /** The folder locked. */
  public Path folder() {
    return folder;
  }

  /**
   * Records that this writer changed the folder: {@link #close} then removes the lock file instead
   * of restoring the folder as it was.
   */
  public void written() {
    written = true;
  }

  /** Releases the lock (the outermost {@link #close} of its thread does). */
  @Override
  public void close() {
    synchronized (HELD) {
      if (--depth > 0) {
        return;
      }
      HELD.remove(folder);
    }
    try {
      // Removed or restored while the lock is still held, so no writer sees a half-restored file;
      // one that opened the old file meanwhile finds it gone after locking, and starts again.
      if (written || previous == null) {
        Files.deleteIfExists(file);
      } else {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(previous), 0);
      }
      if (!written) {
        for (Path dir : created) {
          try {
            Files.deleteIfExists(dir);
          } catch (java.nio.file.DirectoryNotEmptyException e) {
            break;
          }
        }
      }
    } catch (IOException e) {
      // The lock itself is released below; a lock file left behind is harmless.
    } finally {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // Closing the channel releases the lock in any case.
      }
    }
  }

  private static FolderLock take(Path folder, Path root, String command) {
    List<Path> created = new ArrayList<>();
    try {
      created = createFolders(root);
    } catch (IOException e) {
      throw new UserException("cannot create the folder " + folder + ": " + reason(e), e);
    }
    Path file = root.resolve(RunLayout.LOCK);
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        // The lock is POSIX's: closing any descriptor of the file in this process would drop it,
        // so while it may be held the file is only ever read and written through this channel,
        // and the path is checked with stat alone.
        Object before = fileKey(file);
        FileChannel channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Object opened = fileKey(file);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          String holder = readHolder(channel);
          channel.close();
          throw inUse(folder, holder);
        }
        // The file locked is the folder's lock file only if the path still leads to it: a holder
        // that was closing may have removed it after this process opened it.
        if (opened == null || (before != null && !before.equals(opened))) {
          lock.release();
          channel.close();
          continue;
        }
        byte[] previous = before == null ? null : readAll(channel);
        byte[] holder =
            ("pid "
                    + ProcessHandle.current().pid()
                    + "\ncommand "
                    + command
                    + "\nsince "
                    + SINCE.format(Instant.now())
                    + "\n")
                .getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder), 0);
        channel.force(false);
        if (opened.equals(fileKey(file))) {
          return new FolderLock(root, file, channel, lock, previous, created, command);
        }
        lock.release();
        channel.close();
      }
      throw new UserException(
          "cannot lock the folder " + folder + ": its lock file " + file + " keeps changing");
    } catch (IOException e) {
      undo(created);
      throw new UserException("cannot lock the folder " + folder + ": " + reason(e), e);
    } catch (UserException e) {
      undo(created);
      throw e;
    }
  }

  /** The identity of the file at {@code path} (device and inode), read without opening it. */
  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static byte[] readAll(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 16));
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
      // read on until full or at the end
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  /** Creates {@code root} and its missing parents; returns those created, innermost first. */
  private static List<Path> createFolders(Path root) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = root; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    List<Path> created = new ArrayList<>();
    for (Path p : missing) {
      try {
        Files.createDirectory(p);
        created.add(0, p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made by someone else meanwhile: not ours to remove
      }
    }
    return created;
  }

  private static void undo(List<Path> created) {
    for (Path dir : created) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        return;
      }
    }
  }

  /**
   * Who holds a lock, as its file says: "process N (COMMAND since TIME)". Read through the refused
   * channel, which holds no lock to lose.
   */
  private static String readHolder(FileChannel channel) {
    Map<String, String> fields = new HashMap<>();
    try {
      for (String line : new String(readAll(channel), StandardCharsets.UTF_8).split("\n", -1)) {
        int space = line.indexOf(' ');
        if (space > 0) {
          fields.put(line.substring(0, space), line.substring(space + 1));
        }
      }
    } catch (IOException e) {
      // described below as an unknown holder
    }
    String pid = fields.get("pid");
    if (pid == null) {
      return "another process";
    }
    String what = fields.getOrDefault("command", "");
    String since = fields.get("since");
    String detail = what + (since == null ? "" : (what.isEmpty() ? "since " : " since ") + since);
    return "process " + pid + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  private static UserException inUse(Path folder, String holder) {
    return new UserException(
        folder
            + " is in use by "
            + holder
            + ", which is writing it; wait for it to end (or stop it), or use another folder");
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return message == null ? kind : message;
  }
}
