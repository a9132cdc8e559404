package org.mm1lab.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.export.ModelExport.Format;
import org.mm1lab.core.run.RunTraining;
import org.mm1lab.core.run.StopSignal;
import org.mm1lab.core.run.TrainedModel;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.toolkit.weights.SafetensorsReader;

/**
 * The export's folder handling and refusals, over the stand-in plugin (whose components have no
 * published layout); the layouts themselves are checked end to end in the command's test.
 */
class ModelExportTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(ModelExportTest.class.getClassLoader());

  private Path trainedRun() {
    Path runFile = RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN);
    Path run = dir.resolve("run");
    new RunTraining(assembly, new PrintWriter(new StringWriter(), true), false)
        .train(runFile, List.of("mm1.train.steps=2"), run, StopSignal.manual());
    return run;
  }

  @Test
  void theConnectorIsWrittenAnyComponentWithoutALayoutIsRefusedAndNothingIsOverwritten()
      throws Exception {
    Path run = trainedRun();
    try (TrainedModel model = TrainedModel.open(assembly, run, List.of())) {
      ModelExport export = new ModelExport(model);
      assertEquals(EnumSet.of(Format.LLAMA, Format.TIMM, Format.CONNECTOR), export.available());

      Path out = dir.resolve("out");
      Files.createDirectories(out); // an empty folder is taken
      List<String> lines = export.write(out, Set.of(Format.CONNECTOR));
      assertEquals(
          List.of("connector: " + out.toAbsolutePath().normalize().resolve("connector")), lines);
      try (SafetensorsReader reader =
          SafetensorsReader.open(out.resolve("connector/model.safetensors"))) {
        assertFalse(reader.names().isEmpty());
      }
      JsonObject described =
          JsonParser.parseString(Files.readString(out.resolve("connector/connector.json")))
              .getAsJsonObject();
      assertEquals(
          model.instance().model().components().connector().tokens(),
          described.get("tokens").getAsInt());
      JsonObject summary =
          JsonParser.parseString(Files.readString(out.resolve("export.json"))).getAsJsonObject();
      assertEquals(2, summary.get("step").getAsInt());

      UserException notEmpty =
          assertThrows(UserException.class, () -> export.write(out, Set.of(Format.CONNECTOR)));
      assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());
      Path file = Files.writeString(dir.resolve("a-file"), "x");
      UserException aFile =
          assertThrows(UserException.class, () -> export.write(file, Set.of(Format.CONNECTOR)));
      assertTrue(aFile.getMessage().contains("is a file"), aFile.getMessage());

      Path refused = dir.resolve("refused");
      UserException noLayout =
          assertThrows(UserException.class, () -> export.write(refused, Set.of(Format.LLAMA)));
      assertTrue(noLayout.getMessage().contains("has no published layout"), noLayout.getMessage());
      UserException noLlava =
          assertThrows(UserException.class, () -> export.write(refused, Set.of(Format.LLAVA)));
      assertTrue(
          noLlava.getMessage().startsWith("--format llava: the connector"), noLlava.getMessage());
      assertThrows(UserException.class, () -> export.write(refused, Set.of(Format.TIMM)));
      assertFalse(Files.exists(refused), "a failed export leaves nothing under its name");
      try (Stream<Path> left = Files.list(dir)) {
        assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".partial-")));
      }
      assertEquals("llava", Format.LLAVA.label());
    }
  }
}
