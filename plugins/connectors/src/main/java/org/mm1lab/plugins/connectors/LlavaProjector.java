package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.toolkit.weights.LayoutExport;

/**
 * The projector naming of the original LLaVA code base ({@code LlavaLlamaForCausalLM}, LLaVA 1.0
 * and 1.5), which MM1 Lab's {@code linear} and {@code mlp} connectors follow: {@code
 * mm_projector_type = linear} is one {@code nn.Linear} stored as {@code model.mm_projector.weight}
 * {@code (D_llm, D_enc)} and {@code .bias} {@code (D_llm)}; {@code mlpNx_gelu} is an {@code
 * nn.Sequential} of N linears with GELU between them, so linear {@code i} is stored at index {@code
 * 2i}: {@code model.mm_projector.0.weight}, {@code model.mm_projector.2.weight}, ... The
 * configuration fields are LLaVA's {@code mm_projector_type} and {@code mm_hidden_size} (the
 * encoder's width).
 */
final class LlavaProjector {

  /** The layout's name. */
  static final String LAYOUT = "llava-projector";

  private static final String PREFIX = "model.mm_projector.";

  private LlavaProjector() {}

  /**
   * The export of linears applied one after another with GELU between them.
   *
   * @param layers the linears, in order
   * @param type {@code linear} (one layer, stored without an index) or {@code mlpNx_gelu}
   * @param encoderWidth {@code D_enc}
   * @param manager owns the zero bias written for a linear without one (LLaVA's always has one;
   *     zeros add nothing, so the outputs stay the same)
   */
  static LayoutExport export(
      List<Linear> layers, String type, int encoderWidth, NDManager manager) {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    boolean indexed = !"linear".equals(type);
    for (int i = 0; i < layers.size(); i++) {
      String prefix = PREFIX + (indexed ? (2 * i) + "." : "");
      Parameter weight = layers.get(i).getParameters().get("weight");
      NDArray w = weight.getArray();
      tensors.put(prefix + "weight", w);
      Parameter bias =
          layers.get(i).getParameters().contains("bias")
              ? layers.get(i).getParameters().get("bias")
              : null;
      tensors.put(
          prefix + "bias",
          bias != null
              ? bias.getArray()
              : manager.zeros(new Shape(w.getShape().get(0)), w.getDataType()));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("mm_projector_type", type);
    config.put("mm_hidden_size", encoderWidth);
    return new LayoutExport(LAYOUT, tensors, config, List.of());
  }
}
