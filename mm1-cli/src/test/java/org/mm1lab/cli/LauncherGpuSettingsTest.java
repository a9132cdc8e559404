package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./mm1} launcher checks the settings that point DJL at a local CUDA build of PyTorch
 * before it starts Java: a setting that does not fit this build is one line and exit status 2, so
 * that DJL, offline, never gets as far as trying to download. (What passes goes on to Java; that
 * needs the packaged build and, for a CUDA library, a GPU machine, neither of which the tests
 * have.)
 */
class LauncherGpuSettingsTest {

  private static final Path LAUNCHER = Path.of("..", "mm1").toAbsolutePath().normalize();

  @TempDir Path dir;

  private static String refused(Map<String, String> settings)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", LAUNCHER.toString(), "--version");
    builder.environment().keySet().removeIf(k -> k.startsWith("PYTORCH_"));
    builder.environment().putAll(settings);
    Process p = builder.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(Main.USER_ERROR, p.exitValue(), out);
    return out.strip();
  }

  @Test
  void settingsThatDoNotFitThisBuildAreOneLineEach() throws Exception {
    Path libtorch = Files.createDirectories(dir.resolve("libtorch/lib"));
    Files.writeString(libtorch.resolve("libtorch.so"), "");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertEquals(
        "mm1: error: PYTORCH_LIBRARY_PATH="
            + empty
            + " holds no libtorch.so; name the lib/ folder of a libtorch 2.7.1 (README, GPUs)",
        refused(Map.of("PYTORCH_LIBRARY_PATH", empty.toString(), "PYTORCH_FLAVOR", "cu128")));
    assertEquals(
        "mm1: error: PYTORCH_FLAVOR unset: with PYTORCH_LIBRARY_PATH, set it to the flavour of"
            + " that libtorch, cu128 or cpu (the JNI bindings this build carries)",
        refused(Map.of("PYTORCH_LIBRARY_PATH", libtorch.toString())));
    assertEquals(
        "mm1: error: PYTORCH_FLAVOR=cu121: with PYTORCH_LIBRARY_PATH, set it to the flavour of"
            + " that libtorch, cu128 or cpu (the JNI bindings this build carries)",
        refused(Map.of("PYTORCH_LIBRARY_PATH", empty + ":" + libtorch, "PYTORCH_FLAVOR", "cu121")));
    assertEquals(
        "mm1: error: PYTORCH_VERSION=2.5.1: this build has the JNI binding of PyTorch 2.7.1"
            + " only; set 2.7.1 or unset it",
        refused(Map.of("PYTORCH_VERSION", "2.5.1")));
  }
}
