package org.mm1lab.toolkit.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file is not a well-formed safetensors file: truncated, a header that is not JSON or lacks a
 * field, offsets outside the data, or a data type this reader does not know. The message names the
 * file and says what is wrong.
 */
public class SafetensorsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param file the offending file
   * @param problem what is wrong with it
   */
  public SafetensorsFormatException(Path file, String problem) {
    super(file + " is not a valid safetensors file: " + problem);
  }
}
