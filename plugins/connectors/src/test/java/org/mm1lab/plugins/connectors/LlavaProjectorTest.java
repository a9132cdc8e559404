package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.PublishedLayout;

/**
 * LLaVA's {@code mm_projector} tensors, applied as LLaVA applies them (x W^T + b, GELU between
 * linears), give the connector's own output.
 */
class LlavaProjectorTest {

  private static final PatchGrid GRID = new PatchGrid(4, 4, 16);

  private static NDArray llava(LayoutExport export, NDArray x, int layers, boolean indexed) {
    Map<String, NDArray> t = export.tensors();
    NDArray h = x;
    for (int i = 0; i < layers; i++) {
      if (i > 0) {
        h = Activation.gelu(h);
      }
      String prefix = "model.mm_projector." + (indexed ? (2 * i) + "." : "");
      h = h.matMul(t.get(prefix + "weight").transpose()).add(t.get(prefix + "bias"));
    }
    return h;
  }

  @Test
  void mlpAndLinearExportTheirLayersUnderLlavasNames() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, GRID.patches(), GRID.channels()));
      ParameterStore ps = new ParameterStore(m, false);
      for (String variant :
          new String[] {"mlp:depth = 3", "linear:bias = false", "linear:bias = true"}) {
        boolean mlp = variant.startsWith("mlp");
        VLConnector c =
            ConnectorTesting.create(
                mlp ? new MlpConnectorFactory() : new LinearConnectorFactory(),
                variant.substring(variant.indexOf(':') + 1),
                GRID,
                24);
        c.initialize(m, DataType.FLOAT32, x.getShape());
        LayoutExport export = ((PublishedLayout) c).publishedLayout(m);
        assertEquals("llava-projector", export.layout());
        assertEquals(mlp ? "mlp3x_gelu" : "linear", export.config().get("mm_projector_type"));
        assertEquals(16, export.config().get("mm_hidden_size"));
        assertEquals(mlp ? 6 : 2, export.tensors().size());
        NDArray own = c.connect(ps, x, false);
        NDArray theirs = llava(export, x, mlp ? 3 : 1, mlp);
        assertTrue(own.allClose(theirs, 1e-5, 1e-6, false), variant);
        if (mlp) {
          assertEquals(
              new Shape(24, 24), export.tensors().get("model.mm_projector.4.weight").getShape());
        }
      }
    }
  }
}
