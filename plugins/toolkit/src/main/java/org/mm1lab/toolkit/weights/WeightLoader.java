package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies checkpoint tensors into initialised parameters according to a {@link ParameterMapping}.
 *
 * <p>Everything is checked before anything is copied: if any tensor is missing, unexpected (and not
 * ignored by the mapping) or mis-shaped, a {@link WeightMismatchException} lists them all and no
 * parameter changes. Values are converted to each parameter's data type (a float16 or bfloat16
 * checkpoint loads into float32 parameters) and written into the parameter's existing array in
 * place, so that anything holding that array (a parameter store, an optimizer) sees the new values.
 */
public final class WeightLoader {

  private WeightLoader() {}

  /**
   * Loads {@code file} into the mapped parameters.
   *
   * @param file a safetensors file
   * @param mapping tensor names to parameters; every parameter must be initialised
   * @param manager temporaries are created in a sub-manager of it and freed before returning
   * @throws SafetensorsFormatException when the file is malformed
   * @throws WeightMismatchException when the file does not fit the mapping
   * @throws IllegalStateException when a mapped parameter is not initialised
   */
  public static void load(Path file, ParameterMapping mapping, NDManager manager)
      throws IOException {
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      load(reader, mapping, manager);
    }
  }

  /** Loads from an open reader; see {@link #load(Path, ParameterMapping, NDManager)}. */
  public static void load(SafetensorsReader reader, ParameterMapping mapping, NDManager manager)
      throws IOException {
    check(reader, mapping);
    for (Map.Entry<String, Parameter> e : mapping.parameters().entrySet()) {
      Parameter parameter = e.getValue();
      if (!parameter.isInitialized()) {
        throw new IllegalStateException(
            "parameter "
                + parameter.getName()
                + " (for tensor \""
                + e.getKey()
                + "\") is not initialised; initialise the block before loading weights");
      }
    }
    for (Map.Entry<String, Parameter> e : mapping.parameters().entrySet()) {
      NDArray target = e.getValue().getArray();
      try (NDManager scope = manager.newSubManager()) {
        // in place: the same array object, whatever holds it sees the new values
        ParameterValues.overwrite(target, reader.read(e.getKey(), scope));
      }
    }
  }

  /**
   * Compares the file's header with the mapping without reading any data.
   *
   * @throws WeightMismatchException listing every missing, unexpected and mis-shaped tensor
   */
  public static void check(SafetensorsReader reader, ParameterMapping mapping) {
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> misshaped = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : mapping.parameters().entrySet()) {
      String name = e.getKey();
      if (!reader.contains(name)) {
        missing.add(name);
        continue;
      }
      Shape expected = expectedShape(e.getValue());
      Shape found = reader.info(name).shape();
      if (expected != null && !expected.equals(found)) {
        misshaped.add(name + ": expected " + expected + ", found " + found);
      }
    }
    for (String name : reader.names()) {
      if (!mapping.parameters().containsKey(name) && !mapping.ignores(name)) {
        unexpected.add(name);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
      throw new WeightMismatchException(reader.file(), missing, unexpected, misshaped);
    }
  }

  private static Shape expectedShape(Parameter parameter) {
    if (parameter.isInitialized()) {
      return parameter.getArray().getShape();
    }
    return parameter.getShape();
  }
}
