package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.VLConnector;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.testplugin.RunFiles;

/**
 * The connectors as the host sees them: found by name, defaults merged from this jar's
 * reference.conf, sizes checked against the (stand-in) encoder and decoder at assembly.
 */
class AssemblyIntegrationTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(getClass().getClassLoader());

  /** The stand-in run with this connector section, a 64x64 image (8x8 patches of 16 features). */
  private RunConfig load(String connector) {
    String text =
        RunFiles.standInRunWith(
            "connector { type = stand-in-connector }", "connector { " + connector + " }");
    return assembly.load(
        RunFiles.write(dir, "run.conf", text),
        List.of("mm1.model.encoder.image-size=64", "mm1.train.seq-len=256"));
  }

  @Test
  void everyConnectorAssemblesWithItsDefaultsAndRuns() {
    for (String type : List.of("linear", "mlp", "avg-pool", "attention-pool", "c-abstractor")) {
      Components components = assembly.assemble(load("type = " + type));
      VLConnector connector = components.connector();
      assertEquals(64, connector.tokens(), type);
      assertEquals(components.decoder().width(), connector.outputWidth(), type);
      try (NDManager manager = NDManager.newBaseManager()) {
        connector.initialize(manager, DataType.FLOAT32, new Shape(2, 64, 16));
        NDArray out =
            connector.connect(
                new ParameterStore(manager, false),
                manager.randomNormal(new Shape(2, 64, 16)),
                false);
        assertEquals(new Shape(2, 64, connector.outputWidth()), out.getShape(), type);
      }
    }
  }

  @Test
  void badTokenCountIsOneLineNamingPathAndFix() {
    RunConfig config = load("type = avg-pool, tokens = 50");
    UserException e = assertThrows(UserException.class, () -> assembly.assemble(config));
    assertEquals(1, e.problems().size());
    String line = e.problems().get(0);
    assertTrue(line.startsWith("mm1.model.connector.tokens"), line);
    assertTrue(line.endsWith("use 49 or 64"), line);
  }

  @Test
  void tokenGridLargerThanEncoderGridIsRejected() {
    RunConfig config = load("type = c-abstractor, tokens = 144");
    UserException e = assertThrows(UserException.class, () -> assembly.assemble(config));
    String line = e.problems().get(0);
    assertTrue(line.contains("larger than the encoder's 8x8 patch grid; use 49 or 64"), line);
  }
}
