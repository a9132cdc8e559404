package org.mm1lab.core.pretrain;

import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.toolkit.weights.WeightMismatchException;

/**
 * Renders a {@link WeightMismatchException} (a {@code checkpoint} option's file that does not fit
 * its component) as the one line a user error must be, keeping every list it holds.
 */
public final class WeightErrors {

  /**
   * Names shown per list; the rest are counted, so that a wrong file does not flood the terminal.
   */
  private static final int SHOWN = 12;

  private WeightErrors() {}

  /**
   * The one-line user error for a mismatch.
   *
   * @param option the option that named the file, for example {@code mm1.model.encoder.checkpoint}
   * @param e the mismatch
   */
  public static UserException userError(String option, WeightMismatchException e) {
    String headline = e.getMessage().lines().findFirst().orElse("");
    List<String> parts = new ArrayList<>();
    part(parts, "missing", e.missing());
    part(parts, "unexpected", e.unexpected());
    part(parts, "mis-shaped", e.misshaped());
    return new UserException(option + ": " + headline + "; " + String.join("; ", parts), e);
  }

  private static void part(List<String> parts, String title, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    List<String> shown = names.subList(0, Math.min(SHOWN, names.size()));
    String more = names.size() > SHOWN ? ", and " + (names.size() - SHOWN) + " more" : "";
    parts.add(title + ": " + String.join(", ", shown) + more);
  }
}
