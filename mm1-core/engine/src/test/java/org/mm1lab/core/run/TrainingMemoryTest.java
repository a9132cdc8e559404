package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.testplugin.RunFiles;

/**
 * Native memory stays flat: the arrays left on the model's manager after training (parameters and
 * their gradients) do not grow with the number of steps, checkpoints and metrics lines, so nothing
 * a step, a checkpoint or a log line creates outlives it.
 */
class TrainingMemoryTest {

  @TempDir Path dir;

  private int arraysLeftAfter(int steps, String precision) {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config =
        assembly.load(
            RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN),
            List.of(
                "mm1.data.mix.order=[captioned, interleaved, text]",
                "mm1.train.steps=" + steps,
                "mm1.train.log-every=2",
                "mm1.train.checkpoint-every=3",
                "mm1.train.precision=" + precision,
                // in fp16-mixed the first step overflows and is skipped: that path is measured too
                "mm1.train.loss-scale.initial=1099511627776",
                "mm1.train.loss-scale.backoff-factor=9.313225746154785E-10"));
    TrainSettings train = new TrainSettings(config);
    RunDirectory directory = new RunDirectory(dir.resolve("run-" + precision + "-" + steps));
    directory.prepare(config);
    try (ModelInstance instance =
        ModelInstance.allocate(
            assembly.assemble(config), Device.cpu(), 7, train.sequenceLength())) {
      new Trainer(
              instance,
              assembly.plan(config),
              directory,
              StopSignal.manual(),
              new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
              false)
          .train();
      return instance.manager().getManagedArrays().size();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fp32", "fp16-mixed"})
  void arraysDoNotAccumulateOverSteps(String precision) {
    int afterFew = arraysLeftAfter(3, precision);
    int afterMany = arraysLeftAfter(30, precision);
    assertEquals(afterFew, afterMany, "arrays left after 3 steps vs after 30");
  }
}
