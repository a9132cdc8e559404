package org.mm1lab.core.data.formats;

import java.io.IOException;
import java.util.NoSuchElementException;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.EvalItem;

/** The counting and end-of-pass checks of the eval readers. */
abstract class BaseEvalStream<T extends EvalItem> implements EvalStream<T> {

  /** One item, or why it was skipped. */
  record Read<T>(T item, String key, String reason) {}

  private final String name;
  private final String where;
  private final double maxBadFraction;
  private final String fileName;
  private final BadRecords badRecords;
  private long good;
  private T pending;
  private boolean ended;

  BaseEvalStream(String name, String where, String fileName, double maxBadFraction) {
    this.name = name;
    this.where = where;
    this.fileName = fileName;
    this.maxBadFraction = maxBadFraction;
    this.badRecords = new BadRecords(name, maxBadFraction);
  }

  /** The next item or bad item, {@code null} at the end. */
  abstract Read<T> read() throws IOException;

  abstract void closeFiles() throws IOException;

  @Override
  public boolean hasNext() {
    while (pending == null && !ended) {
      Read<T> read;
      try {
        read = read();
      } catch (IOException e) {
        badRecords.bad(fileName, e.getMessage());
        read = null;
      }
      if (read == null) {
        ended = true;
        close();
        FileDataSource.checkPass(name, where, maxBadFraction, badRecords, good);
      } else if (read.item() == null) {
        badRecords.bad(fileName + ": " + read.key(), read.reason());
      } else {
        badRecords.good();
        good++;
        pending = read.item();
      }
    }
    return pending != null;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException("end of eval set '" + name + "'");
    }
    T item = pending;
    pending = null;
    return item;
  }

  @Override
  public BadRecords badRecords() {
    return badRecords;
  }

  @Override
  public void close() {
    try {
      closeFiles();
    } catch (IOException e) {
      // Read-only files: nothing is lost when closing fails.
    }
  }
}
