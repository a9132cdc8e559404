package org.mm1lab.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.testplugin.RunFiles;

/** mm1.plugins.dirs is read from the raw run file, before the plugins it names are loaded. */
class RunFilePluginDirsTest {

  @TempDir Path dir;

  @Test
  void relativeFoldersResolveAgainstTheFileThatNamesThem() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path shared = Files.createDirectories(dir.resolve("shared"));
    RunFiles.write(shared, "plugins.conf", "mm1.plugins.dirs = [more, /abs/olute]\n");
    Path run =
        RunFiles.write(runs, "run.conf", "include \"../shared/plugins.conf\"\nmm1.name = x\n");
    List<PluginLocation> found = RunFilePluginDirs.read(run, List.of());
    assertEquals(List.of(shared.resolve("more"), Path.of("/abs/olute")), paths(found));
    assertTrue(found.get(0).origin().startsWith("mm1.plugins.dirs ("), found.get(0).origin());

    Path direct = RunFiles.write(runs, "direct.conf", "mm1 {\n  plugins.dirs = [target]\n}\n");
    List<PluginLocation> own = RunFilePluginDirs.read(direct, List.of());
    assertEquals(List.of(runs.resolve("target")), paths(own));
    assertTrue(own.get(0).origin().contains("direct.conf:2"), own.get(0).origin());
  }

  @Test
  void anOverrideResolvesAgainstTheWorkingDirectoryAndWins() {
    Path run = RunFiles.write(dir, "run.conf", "mm1.plugins.dirs = [a]\n");
    assertEquals(
        List.of(Path.of("cli/plugins")),
        paths(RunFilePluginDirs.read(run, List.of("mm1.plugins.dirs=[cli/plugins]"))));
  }

  @Test
  void aRunFileThatDoesNotParseNamesNoFoldersAndLeavesTheErrorToTheStrictCheck() {
    Path run = RunFiles.write(dir, "run.conf", "mm1 { plugins.dirs = [a\n");
    assertEquals(List.of(), RunFilePluginDirs.read(run, List.of()));
    assertEquals(List.of(), RunFilePluginDirs.read(dir.resolve("missing.conf"), List.of()));
  }

  @Test
  void notAListIsOneLineWithItsOrigin() {
    Path run = RunFiles.write(dir, "run.conf", "mm1.name = x\nmm1.plugins.dirs = plugins\n");
    UserException e =
        assertThrows(UserException.class, () -> RunFilePluginDirs.read(run, List.of()));
    assertEquals(1, e.problems().size());
    assertTrue(
        e.problems()
            .get(0)
            .startsWith("mm1.plugins.dirs (" + run + ":2): expected a list of folders"),
        e.problems().get(0));
  }

  private static List<Path> paths(List<PluginLocation> locations) {
    return locations.stream().map(PluginLocation::path).toList();
  }
}
