package org.mm1lab.core.data.formats;

import java.util.Iterator;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.EvalItem;

/**
 * A stream of evaluation items read from files: one pass, ending with {@code hasNext() == false}.
 * Bad items are skipped and counted; when the pass ends, an empty set or too many bad items stop
 * the run with a clear {@link org.mm1lab.core.UserException} (see {@link
 * FileDataSource#maxBadFraction()}). Close it to release files.
 *
 * @param <T> the kind of item
 */
public interface EvalStream<T extends EvalItem> extends Iterator<T>, AutoCloseable {

  /** What was skipped so far as unreadable. */
  BadRecords badRecords();

  @Override
  void close();
}
