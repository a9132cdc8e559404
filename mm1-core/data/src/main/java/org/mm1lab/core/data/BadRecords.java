package org.mm1lab.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.mm1lab.core.UserException;

/**
 * Counts records skipped as unreadable (a corrupt image, a malformed JSON line) and stops the run
 * with a clear error once they exceed a fraction of what was read. Keeps the first few reasons for
 * the report. Not thread-safe: one per reader.
 */
public final class BadRecords {

  private static final int KEPT_REASONS = 10;

  /**
   * Below this many records read, the fraction is not judged yet (one bad file of three is noise).
   */
  private static final int MIN_RECORDS_FOR_FRACTION = 20;

  private final String sourceName;
  private final double maxFraction;
  private final List<String> reasons = new ArrayList<>();
  private long read;
  private long bad;

  /**
   * @param sourceName for messages
   * @param maxFraction the largest tolerated share of bad records, in [0, 1]
   */
  public BadRecords(String sourceName, double maxFraction) {
    if (!(maxFraction >= 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException("maxFraction must be in [0, 1], got " + maxFraction);
    }
    this.sourceName = sourceName;
    this.maxFraction = maxFraction;
  }

  /** Records one good record. */
  public void good() {
    read++;
  }

  /**
   * Records one bad record.
   *
   * @param where the file and record, for example {@code shard-0003.tar: 000123.png}
   * @param reason what was wrong
   * @throws UserException when the bad share now exceeds the tolerated fraction
   */
  public void bad(String where, String reason) {
    read++;
    bad++;
    if (reasons.size() < KEPT_REASONS) {
      reasons.add(where + ": " + reason);
    }
    if (read >= MIN_RECORDS_FOR_FRACTION && bad > maxFraction * read) {
      throw new UserException(
          String.format(
              "data source '%s': %d of %d records were unreadable (%.1f%%, more than the allowed"
                  + " %.1f%%); first: %s. Fix the data or raise mm1.data.max-bad-fraction",
              sourceName, bad, read, 100.0 * bad / read, 100 * maxFraction, reasons.get(0)));
    }
  }

  /** Records read, good and bad. */
  public long read() {
    return read;
  }

  /** Records skipped. */
  public long bad() {
    return bad;
  }

  /** The first few reasons, {@code where: reason}. */
  public List<String> reasons() {
    return Collections.unmodifiableList(reasons);
  }
}
