package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.toolkit.options.ConfigOptions;

/** Shared helpers for the connector tests: build through the factory, run, check gradients. */
final class ConnectorTesting {

  /** Identity for square weight matrices, so a test can hand-compute outputs. */
  static final Initializer IDENTITY =
      (manager, shape, type) -> manager.eye((int) shape.get(0)).toType(type, false);

  private ConnectorTesting() {}

  /** Creates a connector through its factory and checks every given option was read. */
  static VLConnector create(VLConnectorFactory factory, String hocon, PatchGrid grid, int dLlm) {
    ConfigOptions options = ConfigOptions.parse("mm1.model.connector", hocon);
    VLConnector connector = factory.create(options, new ConnectorContext(7, grid, dLlm));
    assertTrue(options.unreadKeys().isEmpty(), "unread options: " + options.unreadKeys());
    return connector;
  }

  /** Random patch features {@code (B, N, D_enc)}. */
  static NDArray patches(NDManager manager, int batch, PatchGrid grid) {
    return manager.randomNormal(new Shape(batch, grid.patches(), grid.channels()));
  }

  /** Initializes, runs one forward pass and checks the output shape against the contract. */
  static NDArray forwardAndCheckShape(
      NDManager manager, VLConnector connector, PatchGrid grid, int batch) {
    NDArray x = patches(manager, batch, grid);
    connector.initialize(manager, DataType.FLOAT32, x.getShape());
    NDArray y = connector.connect(new ParameterStore(manager, false), x, false);
    Shape expected = new Shape(batch, connector.tokens(), connector.outputWidth());
    assertEquals(expected, y.getShape());
    assertEquals(
        expected, connector.getOutputShapes(new Shape[] {x.getShape()})[0], "getOutputShapes");
    assertFalse(y.isNaN().any().getBoolean(), "NaN in output");
    return y;
  }

  /**
   * Backpropagates a random projection of the output and asserts that every parameter got a
   * non-zero gradient somewhere: a parameter cut off from the loss would silently never train.
   */
  static void assertGradientsReachEveryParameter(
      NDManager manager, VLConnector connector, PatchGrid grid) {
    NDArray x = patches(manager, 2, grid);
    connector.initialize(manager, DataType.FLOAT32, x.getShape());
    ParameterStore ps = new ParameterStore(manager, false);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray y = connector.connect(ps, x, true);
      NDArray weights = manager.randomNormal(y.getShape());
      collector.backward(y.mul(weights).sum());
    }
    assertFalse(connector.getParameters().isEmpty());
    for (Pair<String, Parameter> p : connector.getParameters()) {
      NDArray grad = p.getValue().getArray().getGradient();
      assertTrue(grad.abs().sum().getFloat() > 0f, "no gradient reaches parameter " + p.getKey());
    }
  }

  /** Total number of scalar parameters. */
  static long parameterCount(VLConnector connector) {
    long count = 0;
    for (Pair<String, Parameter> p : connector.getParameters()) {
      count += p.getValue().getArray().size();
    }
    return count;
  }
}
