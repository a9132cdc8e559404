package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A component's parameters in a published layout, ready to be written as a safetensors file and its
 * configuration JSON.
 *
 * @param layout the layout's name ({@code llama}, {@code timm-vit}, {@code llava-projector})
 * @param tensors tensor name to array, in the order to write them
 * @param config the layout's configuration fields, JSON-ready values (strings, numbers, booleans,
 *     lists and maps of them), in the order to write them
 * @param deviations each way, one sentence, in which the layout's usual reading of these files
 *     differs from this component (empty when it is exact)
 */
public record LayoutExport(
    String layout,
    Map<String, NDArray> tensors,
    Map<String, Object> config,
    List<String> deviations) {

  public LayoutExport {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    deviations = List.copyOf(deviations);
  }

  /**
   * The arrays of a mapping's parameters under its tensor names: the export side of a {@link
   * ParameterMapping} that {@link WeightLoader} loads.
   *
   * @throws IllegalStateException when a mapped parameter is not initialised
   */
  public static Map<String, NDArray> arraysOf(ParameterMapping mapping) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    mapping
        .parameters()
        .forEach(
            (name, parameter) -> {
              if (!parameter.isInitialized()) {
                throw new IllegalStateException(
                    "parameter "
                        + parameter.getName()
                        + " (tensor \""
                        + name
                        + "\") is not initialised");
              }
              out.put(name, parameter.getArray());
            });
    return out;
  }
}
