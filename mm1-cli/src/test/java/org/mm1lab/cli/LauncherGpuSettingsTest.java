package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./mm1} launcher checks the settings that point DJL at a PyTorch of the user's own
 * before it starts Java: a setting that cannot load (no libtorch, no JNI binding for its version
 * and flavour, a version other than the libtorch's own) is one line and exit status 2, so that DJL,
 * offline, never gets as far as trying to download; a libtorch with a JNI binding built for it, in
 * either place DJL looks, passes. The launcher runs from a copy in a folder without a build, so
 * settings that pass end at "not built yet" instead of loading the stand-in libraries.
 */
class LauncherGpuSettingsTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  private Path launcher;
  private Path cache;

  @BeforeEach
  void copyTheLauncher() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("checkout"));
    launcher = Files.copy(REPOSITORY.resolve("mm1"), copy.resolve("mm1"));
    cache = Files.createDirectories(dir.resolve("djl-cache"));
  }

  private record Outcome(int status, String output) {}

  private Outcome launch(Map<String, String> settings) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", launcher.toString(), "--version");
    builder.environment().keySet().removeIf(k -> k.startsWith("PYTORCH_"));
    builder.environment().put("ENGINE_CACHE_DIR", cache.toString());
    builder.environment().putAll(settings);
    Process p = builder.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Outcome(p.exitValue(), out.strip());
  }

  private String refused(Map<String, String> settings) throws IOException, InterruptedException {
    Outcome outcome = launch(settings);
    assertEquals(Main.USER_ERROR, outcome.status(), outcome.output());
    assertEquals(1, outcome.output().lines().count(), outcome.output());
    return outcome.output();
  }

  /** Passed the settings' checks: the copy has no build, so it stops there. */
  private void accepted(Map<String, String> settings) throws IOException, InterruptedException {
    String out = refused(settings);
    assertTrue(out.startsWith("mm1: error: not built yet"), out);
  }

  /** A folder holding a (stand-in) libtorch.so, as the lib/ folder of a libtorch. */
  private Path libtorch(String name) throws IOException {
    Path lib = Files.createDirectories(dir.resolve(name).resolve("lib"));
    Files.writeString(lib.resolve("libtorch.so"), "");
    return lib;
  }

  @Test
  void settingsThatCannotLoadAreOneLineEach() throws Exception {
    Path lib = libtorch("libtorch");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertEquals(
        "mm1: error: PYTORCH_LIBRARY_PATH="
            + empty
            + " holds no libtorch.so; name the folder that holds it (lib/ of a libtorch, torch/lib"
            + " of a PyTorch wheel) (README, GPUs)",
        refused(Map.of("PYTORCH_LIBRARY_PATH", empty.toString(), "PYTORCH_FLAVOR", "cu128")));
    String flavour =
        ": with PYTORCH_LIBRARY_PATH, set it to the flavour of that libtorch: cpu, or cu and its"
            + " CUDA version (cu128 for CUDA 12.8) (README, GPUs)";
    assertEquals(
        "mm1: error: PYTORCH_FLAVOR unset" + flavour,
        refused(Map.of("PYTORCH_LIBRARY_PATH", lib.toString())));
    assertEquals(
        "mm1: error: PYTORCH_FLAVOR=cuda" + flavour,
        refused(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cuda")));
    assertEquals(
        "mm1: error: PYTORCH_FLAVOR=cu121: this build carries the JNI bindings cpu and cu128 of"
            + " PyTorch 2.7.1 only; set one of them, or put a libdjl_torch.so built against your"
            + " libtorch in "
            + lib
            + " or at "
            + cache
            + "/pytorch/2.7.1-cu121-linux-"
            + arch()
            + "/0.36.0-libdjl_torch.so (README, GPUs)",
        refused(Map.of("PYTORCH_LIBRARY_PATH", empty + ":" + lib, "PYTORCH_FLAVOR", "cu121")));
    assertEquals(
        "mm1: error: PYTORCH_VERSION=2.11.0: this build carries the JNI binding of PyTorch 2.7.1"
            + " only; put a libdjl_torch.so built against libtorch 2.11.0 in "
            + lib
            + " or at "
            + cache
            + "/pytorch/2.11.0-cu130-linux-"
            + arch()
            + "/0.36.0-libdjl_torch.so (README, GPUs)",
        refused(
            Map.of(
                "PYTORCH_LIBRARY_PATH",
                lib.toString(),
                "PYTORCH_FLAVOR",
                "cu130",
                "PYTORCH_VERSION",
                "2.11.0")));
    assertEquals(
        "mm1: error: PYTORCH_VERSION=2.5.1: without PYTORCH_LIBRARY_PATH this build runs its own"
            + " PyTorch 2.7.1; set 2.7.1 or unset it, or name your libtorch 2.5.1 with"
            + " PYTORCH_LIBRARY_PATH (README, GPUs)",
        refused(Map.of("PYTORCH_VERSION", "2.5.1")));
    assertEquals(
        "mm1: error: PYTORCH_VERSION=2.11: give the version of your libtorch as three numbers,"
            + " e.g. 2.7.1",
        refused(Map.of("PYTORCH_VERSION", "2.11")));
  }

  @Test
  void aVersionOtherThanTheLibtorchsOwnIsRefused() throws Exception {
    // a PyTorch wheel: torch/lib beside torch/version.py
    Path wheel = libtorch("torch");
    Files.writeString(
        wheel.resolveSibling("version.py"),
        "from typing import Optional\n\n__version__ = '2.11.0+cu130'\ngit_version = 'abc'\n");
    assertEquals(
        "mm1: error: PYTORCH_LIBRARY_PATH="
            + wheel
            + " is libtorch 2.11.0, but PYTORCH_VERSION is unset (so 2.7.1); set"
            + " PYTORCH_VERSION=2.11.0 (README, GPUs)",
        refused(Map.of("PYTORCH_LIBRARY_PATH", wheel.toString(), "PYTORCH_FLAVOR", "cu130")));
    // a libtorch download: lib/ beside build-version
    Path download = libtorch("libtorch");
    Files.writeString(download.resolveSibling("build-version"), "2.7.1+cu128\n");
    assertEquals(
        "mm1: error: PYTORCH_LIBRARY_PATH="
            + download
            + " is libtorch 2.7.1, but PYTORCH_VERSION=2.8.0; set PYTORCH_VERSION=2.7.1 (README,"
            + " GPUs)",
        refused(
            Map.of(
                "PYTORCH_LIBRARY_PATH",
                download.toString(),
                "PYTORCH_FLAVOR",
                "cu128",
                "PYTORCH_VERSION",
                "2.8.0")));
  }

  @Test
  void aLibtorchWithAJniBindingBuiltForItPasses() throws Exception {
    // the bindings this build carries: PyTorch 2.7.1, cpu or cu128
    Path bundled = libtorch("libtorch");
    Files.writeString(bundled.resolveSibling("build-version"), "2.7.1+cu128\n");
    accepted(Map.of("PYTORCH_LIBRARY_PATH", bundled.toString(), "PYTORCH_FLAVOR", "cu128"));
    // a binding of one's own in DJL's cache, named after the version and flavour
    Path wheel = libtorch("torch");
    Files.writeString(wheel.resolveSibling("version.py"), "__version__ = '2.11.0+cu130'\n");
    Map<String, String> own =
        Map.of(
            "PYTORCH_LIBRARY_PATH",
            wheel.toString(),
            "PYTORCH_FLAVOR",
            "cu130",
            "PYTORCH_VERSION",
            "2.11.0");
    Path cached =
        Files.createDirectories(cache.resolve("pytorch/2.11.0-cu130-linux-" + arch()))
            .resolve("0.36.0-libdjl_torch.so");
    Files.writeString(cached, "");
    accepted(own);
    // or beside libtorch.so
    Files.delete(cached);
    Files.writeString(wheel.resolve("libdjl_torch.so"), "");
    accepted(own);
  }

  @Test
  void theLaunchersVersionsAreThoseOfTheBuild() throws Exception {
    String pom = Files.readString(REPOSITORY.resolve("pom.xml"));
    String script = Files.readString(REPOSITORY.resolve("mm1"));
    assertEquals(
        property(pom, "<pytorch.version>(.+?)</"), property(script, "bundled_torch=\"(.+?)\""));
    assertEquals(property(pom, "<djl.version>(.+?)</"), property(script, "djl_version=\"(.+?)\""));
  }

  private static String property(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex);
    return m.group(1);
  }

  /** The machine's architecture as DJL names it in its cache folders. */
  private static String arch() {
    String arch = System.getProperty("os.arch");
    return arch.equals("amd64") ? "x86_64" : arch;
  }
}
