package org.mm1lab.core.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.Family;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigSources;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.plugin.PluginRegistry;
import org.mm1lab.core.testplugin.RunFiles;

class RunConfigLoaderTest {

  @TempDir Path dir;

  private final ClassLoader classLoader = getClass().getClassLoader();
  private final RunConfigLoader loader =
      new RunConfigLoader(
          PluginRegistry.discover(classLoader), ConfigSources.referenceFor(classLoader));

  private RunConfig load(String text, String... overrides) {
    return loader.load(RunFiles.write(dir, "run.conf", text), List.of(overrides));
  }

  /** The single problem a bad run file must produce. */
  private String problem(String text, String... overrides) {
    UserException e = assertThrows(UserException.class, () -> load(text, overrides));
    assertEquals(1, e.problems().size(), "expected exactly one problem, got " + e.problems());
    String line = e.problems().get(0);
    assertTrue(!line.contains("\n"), "a problem is one line: " + line);
    return line;
  }

  private Map<String, RunConfig.Setting> settings(RunConfig config) {
    return config.settings().stream()
        .collect(Collectors.toMap(RunConfig.Setting::path, Function.identity()));
  }

  @Test
  void precedenceIsReferenceThenFileThenSet() {
    RunConfig config =
        load(
            RunFiles.standInRunWith("steps = 10", "steps = 10\n    batch-size = 4"),
            "mm1.train.batch-size=2",
            "mm1.train.batch-size=3");
    Map<String, RunConfig.Setting> settings = settings(config);

    // reference.conf of the core: not in the file, not overridden
    assertEquals("3.0E-4", settings.get("mm1.train.lr").value());
    assertTrue(settings.get("mm1.train.lr").origin().startsWith("reference.conf"));
    // the file beats the reference
    assertEquals("10", settings.get("mm1.train.steps").value());
    assertEquals(dir.resolve("run.conf") + ":10", settings.get("mm1.train.steps").origin());
    // --set beats the file, and the later --set beats the earlier
    assertEquals("3", settings.get("mm1.train.batch-size").value());
    assertEquals("--set mm1.train.batch-size=3", settings.get("mm1.train.batch-size").origin());
  }

  @Test
  void componentSectionsMergeOverTheirPluginDefaults() {
    RunConfig config = load(RunFiles.STAND_IN_RUN, "mm1.model.encoder.width=32");
    Map<String, RunConfig.Setting> settings = settings(config);

    assertEquals("stand-in-encoder", config.type(Family.ENCODER));
    assertEquals("32", settings.get("mm1.model.encoder.width").value());
    assertEquals("8", settings.get("mm1.model.encoder.patch-size").value());
    assertTrue(
        settings.get("mm1.model.encoder.patch-size").origin().startsWith("reference.conf"),
        settings.get("mm1.model.encoder.patch-size").origin());
    assertEquals(
        Set.of("image-size", "patch-size", "width"),
        config.componentOptions(Family.ENCODER).keys());
  }

  @Test
  void setValuesThatAreNotHoconAreTakenAsStrings() {
    RunConfig config = load(RunFiles.STAND_IN_RUN, "mm1.name=run:with:colons");
    assertEquals("run:with:colons", config.config().getString("mm1.name"));
  }

  @Test
  void misspeltCoreKeyIsNamedWithItsLineAndTheClosestKey() {
    String line = problem(RunFiles.standInRunWith("steps = 10", "stpes = 10"));
    assertEquals(
        "mm1.train.stpes ("
            + dir.resolve("run.conf")
            + ":10): unknown key; did you mean mm1.train.steps?",
        line);
  }

  @Test
  void misspeltKeyFromTheCommandLineIsNamedAsSuch() {
    String line = problem(RunFiles.STAND_IN_RUN, "mm1.train.batchsize=4");
    assertEquals(
        "mm1.train.batchsize (--set mm1.train.batchsize=4): unknown key;"
            + " did you mean mm1.train.batch-size?",
        line);
  }

  @Test
  void topLevelKeysOutsideMm1AreRejected() {
    String line = problem(RunFiles.STAND_IN_RUN + "trian { steps = 3 }\n");
    assertTrue(
        line.startsWith("trian.steps (" + dir.resolve("run.conf") + ":14): unknown key"), line);
  }

  @Test
  void unknownTypeListsTheKnownOnesAndTheClosest() {
    String line =
        problem(RunFiles.standInRunWith("type = stand-in-connector", "type = stand-in-conector"));
    assertEquals(
        "mm1.model.connector.type ("
            + dir.resolve("run.conf")
            + ":5): unknown connector 'stand-in-conector'; known: stand-in-connector;"
            + " did you mean 'stand-in-connector'?",
        line);
  }

  @Test
  void missingTypeSaysWhatToSet() {
    String line =
        problem(RunFiles.standInRunWith("decoder { type = stand-in-decoder }", "decoder { }"));
    assertEquals("mm1.model.decoder.type: missing; set it to one of: stand-in-decoder", line);
  }

  @Test
  void unknownComponentOptionNamesTheDeclaredOnes() {
    String line =
        problem(
            RunFiles.standInRunWith(
                "encoder { type = stand-in-encoder }",
                "encoder { type = stand-in-encoder, patch-sise = 4 }"));
    assertEquals(
        "mm1.model.encoder.patch-sise ("
            + dir.resolve("run.conf")
            + ":4): encoder 'stand-in-encoder' has no option 'patch-sise'; did you mean patch-size?;"
            + " options: image-size, patch-size, width",
        line);
  }

  @Test
  void componentValueOfTheWrongKindIsRejectedWithItsOrigin() {
    String line = problem(RunFiles.STAND_IN_RUN, "mm1.model.encoder.width=[1,2]");
    assertEquals(
        "mm1.model.encoder.width (--set mm1.model.encoder.width=[1,2]): expected a number like the"
            + " default 16, got [1,2]",
        line);
  }

  @Test
  void coreKeyGivenAsValueWhereASectionBelongsIsRejected() {
    String line = problem(RunFiles.STAND_IN_RUN, "mm1.eval=3");
    assertEquals("mm1.eval (--set mm1.eval=3): expected a section { ... }, got 3", line);
  }

  @Test
  void syntaxErrorsNameFileAndLine() {
    String line = problem(RunFiles.STAND_IN_RUN.replace("seq-len = 64", "seq-len = = 64"));
    assertTrue(line.startsWith(dir.resolve("run.conf") + ":11: "), line);
  }

  @Test
  void anIncludedFileThatIsMissingIsNamedWithTheIncludingLine() {
    String text = "# sources\ninclude \"sourcs.conf\"\n" + RunFiles.STAND_IN_RUN;
    assertEquals(
        dir.resolve("run.conf")
            + ":2: include \"sourcs.conf\": no such file "
            + dir.resolve("sourcs.conf").toAbsolutePath(),
        problem(text));
    String required = "include required(file(\"gone.conf\"))\n" + RunFiles.STAND_IN_RUN;
    String line = problem(required);
    assertEquals(
        dir.resolve("run.conf")
            + ":1: include \"gone.conf\": no such file "
            + dir.resolve("gone.conf").toAbsolutePath(),
        line);
    assertFalse(line.contains("Exception"), line);
  }

  @Test
  void anIncludedFileThatExistsIsRead() {
    RunFiles.write(dir, "extra.conf", "mm1.train.steps = 7\n");
    RunConfig config = load(RunFiles.STAND_IN_RUN + "\ninclude \"extra.conf\"\n");
    assertEquals(7, new TrainSettings(config).steps());
  }

  @Test
  void anUnclosedSectionAsksForItsBrace() {
    String text = RunFiles.STAND_IN_RUN.strip();
    String line = problem(text.substring(0, text.length() - 1));
    assertTrue(line.contains("a section's closing '}' is missing"), line);
    assertFalse(line.contains("')'"), line);
  }

  @Test
  void missingRunFileIsOneLine() {
    UserException e =
        assertThrows(UserException.class, () -> loader.load(dir.resolve("nope.conf"), List.of()));
    assertEquals(
        List.of("run file " + dir.resolve("nope.conf") + " does not exist or is not a file"),
        e.problems());
  }

  @Test
  void malformedSetIsOneLine() {
    assertEquals(
        "--set mm1.train.steps: expected path=value, for example --set mm1.train.steps=100",
        problem(RunFiles.STAND_IN_RUN, "mm1.train.steps"));
  }

  @Test
  void everyProblemIsReportedOnItsOwnLine() {
    String text =
        RunFiles.standInRunWith("steps = 10", "stpes = 10")
            .replace("type = stand-in-mixer", "type = nope");
    UserException e = assertThrows(UserException.class, () -> load(text));
    assertEquals(2, e.problems().size(), e.problems().toString());
  }

  @Test
  void wrongCoreValueTypeNamesPathAndOrigin() {
    RunConfig config = load(RunFiles.standInRunWith("steps = 10", "steps = ten"));
    UserException e = assertThrows(UserException.class, () -> new TrainSettings(config));
    assertEquals(
        "mm1.train.steps (" + dir.resolve("run.conf") + ":10): expected an integer, got \"ten\"",
        e.getMessage());
  }

  @Test
  void outOfRangeCoreValueSaysWhatToChange() {
    RunConfig config = load(RunFiles.STAND_IN_RUN, "mm1.train.lr=2");
    UserException e = assertThrows(UserException.class, () -> new TrainSettings(config));
    assertEquals("mm1.train.lr (--set mm1.train.lr=2): must be in (0, 1), got 2.0", e.getMessage());
  }

  @Test
  void settingsAreReadFromTheMergedConfig() {
    RunSettings settings = new RunSettings(load(RunFiles.STAND_IN_RUN, "mm1.seed=11"));
    assertEquals("test", settings.name());
    assertEquals(11L, settings.seed());
    assertEquals(64, new TrainSettings(load(RunFiles.STAND_IN_RUN)).sequenceLength());
    // mm1.eval is read by the eval module; EvalSettingsTest.defaultsReadTheWorldsSets loads the
    // same run file through the same loader.
  }
}
