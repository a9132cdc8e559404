package org.mm1lab.core.data.formats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;

/**
 * The streaming machinery the file-format readers share: a fixed, sorted list of files read one
 * after the other, one record at a time, wrapping around at the end (epochs).
 *
 * <p>Bad records are counted in a {@link BadRecords} with the configured fraction; at the end of
 * every pass the fraction is checked once more, without the minimum count that {@link BadRecords}
 * waits for, so that a small file whose records are all bad stops the run too. A pass that holds no
 * record at all stops the run with {@code data source 'NAME': no records in PATH}.
 *
 * <p>{@link #open(long) open(n)} yields exactly what {@code open(0)} yields after {@code n}
 * examples: it reads and drops them (bad records are skipped the same way in both), and after one
 * full pass it skips whole epochs arithmetically instead of rereading them.
 */
public abstract class FileDataSource implements DataSource {

  private final String name;
  private final List<Path> files;
  private final String where;
  private final double maxBadFraction;

  /**
   * @param name the source's name in the run
   * @param files the files to read, in order
   * @param where what the user configured (for messages), e.g. the directory
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   */
  protected FileDataSource(String name, List<Path> files, String where, double maxBadFraction) {
    this.name = Objects.requireNonNull(name, "name");
    this.files = List.copyOf(files);
    this.where = where;
    if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
      throw new UserException(
          "data source '" + name + "': max-bad-fraction must be in [0, 1], got " + maxBadFraction);
    }
    this.maxBadFraction = maxBadFraction;
  }

  @Override
  public String name() {
    return name;
  }

  /** The files read, in order. */
  public List<Path> files() {
    return files;
  }

  /** The largest tolerated share of bad records. */
  public double maxBadFraction() {
    return maxBadFraction;
  }

  /** Opens an endless stream (wrapping around at the end) that skips {@code position} examples. */
  @Override
  public ExampleStream open(long position) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0, got " + position);
    }
    return new FileStream(position, true, new BadRecords(name, maxBadFraction));
  }

  /**
   * Opens one pass over the data that never fails on bad records (they are all counted, for {@code
   * mm1 data inspect}) and ends, with {@code hasNext() == false}, at the end of the files.
   */
  public ExampleStream onePass() {
    return new FileStream(0, false, new BadRecords(name, 1.0));
  }

  /**
   * Opens one file for reading records.
   *
   * @throws IOException when the file cannot be opened (counted as a bad record)
   */
  protected abstract RecordReader openFile(Path file) throws IOException;

  /** Reads the records of one open file. */
  protected interface RecordReader extends AutoCloseable {

    /**
     * The next record, or {@code null} at the end of the file.
     *
     * @throws IOException when the rest of the file cannot be read (counted as one bad record, the
     *     reader moves on to the next file)
     */
    ReadRecord next() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** One record: an example, or the reason it could not be read. */
  protected record ReadRecord(Example example, String key, String reason) {

    /** A readable record. */
    public static ReadRecord good(Example example) {
      return new ReadRecord(example, example.id(), null);
    }

    /**
     * An unreadable record.
     *
     * @param key which record (a tar key, {@code line 12})
     * @param reason what is wrong with it
     */
    public static ReadRecord bad(String key, String reason) {
      return new ReadRecord(null, key, reason);
    }
  }

  /**
   * The files of a configured path: the path itself if it is a file, else the files directly in the
   * directory whose names end with one of {@code suffixes}, sorted by name.
   *
   * @throws UserException when the path does not exist
   */
  protected static List<Path> listFiles(String sourceName, Path path, String... suffixes) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (Files.exists(path) && !Files.isDirectory(path)) {
      // Reading a FIFO would wait for a writer forever; a device would never end.
      throw new UserException(
          "data source '"
              + sourceName
              + "': "
              + path
              + " is not a regular file (a FIFO, device or socket); give a file or a folder");
    }
    if (!Files.isDirectory(path)) {
      throw new UserException(
          "data source '" + sourceName + "': " + path + " does not exist; check the path");
    }
    try (Stream<Path> listing = Files.list(path)) {
      return listing
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String fileName = p.getFileName().toString();
                for (String suffix : suffixes) {
                  if (fileName.endsWith(suffix)) {
                    return true;
                  }
                }
                return false;
              })
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UserException(
          "data source '" + sourceName + "': cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  /** The files of several configured paths, in the order given. */
  protected static List<Path> listFiles(String sourceName, List<Path> paths, String... suffixes) {
    List<Path> all = new ArrayList<>();
    for (Path path : paths) {
      all.addAll(listFiles(sourceName, path, suffixes));
    }
    return all;
  }

  /** How several configured paths read in a message. */
  protected static String describe(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  /**
   * The check at the end of a pass over a source: no records at all, no readable record, or more
   * bad records than tolerated (judged here even below the minimum count {@link BadRecords} waits
   * for, so that a small all-bad file fails too).
   *
   * @throws UserException with a message that names the source, the path and the first reason
   */
  static void checkPass(
      String name, String where, double maxBadFraction, BadRecords badRecords, long good) {
    long bad = badRecords.bad();
    long read = badRecords.read();
    if (read == 0) {
      throw new UserException("data source '" + name + "': no records in " + where);
    }
    if (good == 0) {
      throw new UserException(
          String.format(
              "data source '%s': none of the %d records in %s could be read; first: %s. Fix the"
                  + " data or the path",
              name, read, where, badRecords.reasons().get(0)));
    }
    if (bad > maxBadFraction * read) {
      throw new UserException(
          String.format(
              "data source '%s': %d of %d records in %s were unreadable (%.1f%%, more than the"
                  + " allowed %.1f%%); first: %s. Fix the data or raise"
                  + " mm1.data.max-bad-fraction",
              name,
              bad,
              read,
              where,
              100.0 * bad / read,
              100 * maxBadFraction,
              badRecords.reasons().get(0)));
    }
  }

  private final class FileStream implements ExampleStream {
    private final boolean wrap;
    private final BadRecords badRecords;
    private long toSkip;
    private int nextFile;
    private Path currentFile;
    private RecordReader current;
    private long goodThisPass;
    private Example pending;
    private boolean ended;

    FileStream(long toSkip, boolean wrap, BadRecords badRecords) {
      this.toSkip = toSkip;
      this.wrap = wrap;
      this.badRecords = badRecords;
    }

    @Override
    public boolean hasNext() {
      if (pending == null && !ended) {
        pending = advance();
      }
      return pending != null;
    }

    @Override
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException("end of data source '" + name + "'");
      }
      Example example = pending;
      pending = null;
      return example;
    }

    @Override
    public BadRecords badRecords() {
      return badRecords;
    }

    @Override
    public void close() {
      closeCurrent();
      ended = true;
    }

    private Example advance() {
      while (true) {
        if (current == null) {
          if (nextFile == files.size()) {
            if (!wrap) {
              ended = true;
              return null;
            }
            endOfPass();
            nextFile = 0;
            goodThisPass = 0;
            continue;
          }
          currentFile = files.get(nextFile++);
          try {
            current = openFile(currentFile);
          } catch (IOException e) {
            badRecords.bad(fileName(), "cannot open: " + e.getMessage());
            continue;
          }
        }
        ReadRecord record;
        try {
          record = current.next();
        } catch (IOException e) {
          closeCurrent();
          badRecords.bad(fileName(), e.getMessage());
          continue;
        }
        if (record == null) {
          closeCurrent();
          continue;
        }
        if (record.example() == null) {
          badRecords.bad(fileName() + ": " + record.key(), record.reason());
          continue;
        }
        badRecords.good();
        goodThisPass++;
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        return record.example();
      }
    }

    private void endOfPass() {
      checkPass(name, where, maxBadFraction, badRecords, goodThisPass);
      // Every pass yields the same examples: skip whole epochs without rereading them.
      toSkip %= goodThisPass;
    }

    private String fileName() {
      Path fileName = currentFile.getFileName();
      return fileName == null ? currentFile.toString() : fileName.toString();
    }

    private void closeCurrent() {
      if (current != null) {
        try {
          current.close();
        } catch (IOException e) {
          // Read-only files: nothing is lost when closing fails.
        }
        current = null;
      }
    }
  }
}
