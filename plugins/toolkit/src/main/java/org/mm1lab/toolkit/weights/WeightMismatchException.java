package org.mm1lab.toolkit.weights;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint does not fit the parameters it is loaded into. One exception lists every problem at
 * once, so that a user fixes a configuration in one go: tensors the model needs that the file
 * lacks, tensors the file has that the model does not use, and tensors whose shapes differ.
 */
public class WeightMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> misshaped;

  /**
   * @param file the checkpoint
   * @param missing names the model needs and the file lacks
   * @param unexpected names the file holds and the model does not use
   * @param misshaped one entry per mis-shaped tensor: {@code name: expected (a, b), found (c, d)}
   */
  public WeightMismatchException(
      Path file, List<String> missing, List<String> unexpected, List<String> misshaped) {
    super(message(file, missing, unexpected, misshaped));
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.misshaped = List.copyOf(misshaped);
  }

  private static String message(
      Path file, List<String> missing, List<String> unexpected, List<String> misshaped) {
    StringBuilder out =
        new StringBuilder("the checkpoint ")
            .append(file)
            .append(" does not fit the model (")
            .append(missing.size())
            .append(" missing, ")
            .append(unexpected.size())
            .append(" unexpected, ")
            .append(misshaped.size())
            .append(" mis-shaped); check the model's sizes against the checkpoint's");
    section(out, "missing tensors (the model needs them, the file lacks them)", missing);
    section(out, "unexpected tensors (in the file, not used by the model)", unexpected);
    section(out, "mis-shaped tensors", misshaped);
    return out.toString();
  }

  private static void section(StringBuilder out, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.append('\n').append(title).append(':');
    for (String line : lines) {
      out.append("\n  ").append(line);
    }
  }

  /** Names the model needs and the file lacks. */
  public List<String> missing() {
    return missing;
  }

  /** Names the file holds and the model does not use. */
  public List<String> unexpected() {
    return unexpected;
  }

  /** {@code name: expected (a, b), found (c, d)} for each mis-shaped tensor. */
  public List<String> misshaped() {
    return misshaped;
  }
}
