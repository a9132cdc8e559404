package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine as {@code mm1 --version} describes it: the flavour from DJL's setting or its cache
 * folder's name, the library folder from DJL's description, the devices line; and, on this machine
 * (a CPU build, no GPU), what the loaded engine really is.
 */
class EngineInfoTest {

  @Test
  void theLoadedEngineHereIsTheCpuBuildAndSeesNoGpu() {
    EngineInfo info = EngineInfo.detect();
    assertEquals("PyTorch", info.engine());
    assertEquals("2.7.1", info.version());
    assertFalse(info.cuda(), "the CPU build has no CUDA");
    assertEquals("cpu", info.flavour());
    assertTrue(info.library().endsWith("-cpu-linux-x86_64"), info.library());
    assertEquals(List.of(), info.gpus());
    assertEquals(
        List.of(
            "engine PyTorch 2.7.1, flavour cpu (no CUDA), loaded from " + info.library(),
            "devices: cpu only; the engine sees no GPU"),
        info.lines());
  }

  @Test
  void theFlavourIsTheSettingElseTheCacheFolderNameElseWhatTheLibraryHas() {
    assertEquals("cu128", EngineInfo.flavour(" cu128 ", "/opt/libtorch/lib", "2.7.1", true));
    assertEquals(
        "cpu",
        EngineInfo.flavour(null, "/root/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64", "2.7.1", false));
    assertEquals(
        "cu128-precxx11",
        EngineInfo.flavour(
            "", "/root/.djl.ai/pytorch/2.7.1-cu128-precxx11-linux-x86_64", "2.7.1", true));
    assertEquals("cuda", EngineInfo.flavour(null, "/opt/libtorch/lib", "2.7.1", true));
    assertEquals("cpu", EngineInfo.flavour(null, "", "2.7.1", false));
  }

  @Test
  void theLibraryFolderIsReadFromTheEnginesDescription() {
    assertEquals(
        "/opt/libtorch/lib",
        EngineInfo.library(
            "PyTorch:2.7.1, capabilities: [\n\tCUDA,\n]\nPyTorch Library: /opt/libtorch/lib"));
    assertEquals("", EngineInfo.library("OnnxRuntime:1.20.0"));
  }

  @Test
  void gpusAreListedWithWhatTheRuntimeTells() {
    EngineInfo two =
        new EngineInfo(
            "PyTorch",
            "2.7.1",
            "cu128",
            "/opt/libtorch/lib",
            true,
            List.of(new EngineInfo.Gpu(0, "90", 150_000_000_000L), new EngineInfo.Gpu(1, "", -1)));
    assertEquals(
        List.of(
            "engine PyTorch 2.7.1, flavour cu128 (built with CUDA), loaded from /opt/libtorch/lib",
            "devices: 2 GPUs, gpu:0 (compute capability 9.0, 139.7 GiB), gpu:1; and the cpu"),
        two.lines());
    EngineInfo blind = new EngineInfo("PyTorch", "2.7.1", "cu128", "", true, List.of());
    assertEquals(
        "devices: cpu only; the engine sees no GPU (is the CUDA runtime, libcudart, on the"
            + " library path?)",
        blind.lines().get(1));
  }
}
