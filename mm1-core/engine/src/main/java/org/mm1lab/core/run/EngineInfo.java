package org.mm1lab.core.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deep learning engine loaded here is and what it sees, as {@code mm1 --version} prints
 * it: the engine and its version, the flavour of its native library ({@code cpu}, or a CUDA build
 * such as {@code cu128}), where that library was loaded from, and the GPUs it counts.
 *
 * <p>DJL names the flavour in two places: the {@code PYTORCH_FLAVOR} setting (environment variable
 * or system property), which a library given by {@code PYTORCH_LIBRARY_PATH} needs to find its JNI
 * binding, and otherwise the name of the cache folder it extracts a bundled library into ({@code
 * <version>-<flavour>-<os>-<arch>}). GPUs are counted as DJL counts them: only when the library has
 * CUDA, through the CUDA runtime library ({@code libcudart}) that DJL finds with JNA. DJL does not
 * read GPU names; it reads each GPU's compute capability and memory, shown instead.
 *
 * @param engine the engine's name, e.g. {@code PyTorch}
 * @param version the engine's version, e.g. {@code 2.7.1}
 * @param flavour the native library's flavour, e.g. {@code cpu} or {@code cu128}
 * @param library where the native library was loaded from, or empty when the engine does not say
 * @param cuda whether the native library was built with CUDA
 * @param gpus the GPUs the engine sees
 */
public record EngineInfo(
    String engine, String version, String flavour, String library, boolean cuda, List<Gpu> gpus) {

  /** The setting through which DJL is told the native library's flavour. */
  public static final String FLAVOUR_SETTING = "PYTORCH_FLAVOR";

  private static final Pattern LIBRARY_LINE = Pattern.compile("PyTorch Library: (.+)");

  /**
   * One GPU.
   *
   * @param index its index, as in {@code mm1.device = gpu:N}
   * @param computeCapability e.g. {@code 90} for 9.0, or empty when the runtime does not say
   * @param memoryBytes its memory, or -1 when the runtime does not say
   */
  public record Gpu(int index, String computeCapability, long memoryBytes) {}

  /** Checks the fields. */
  public EngineInfo {
    gpus = List.copyOf(gpus);
  }

  /**
   * Loads the default engine (its native library, as any command would) and describes it.
   *
   * @throws RuntimeException or {@link LinkageError} when the engine cannot be loaded
   */
  public static EngineInfo detect() {
    Engine engine = Engine.getInstance();
    boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
    String library = library(engine.toString());
    String setting = System.getenv(FLAVOUR_SETTING);
    if (setting == null || setting.isBlank()) {
      setting = System.getProperty(FLAVOUR_SETTING);
    }
    List<Gpu> gpus = new ArrayList<>();
    int count = engine.getGpuCount();
    for (int i = 0; i < count; i++) {
      gpus.add(gpu(i));
    }
    return new EngineInfo(
        engine.getEngineName(),
        engine.getVersion(),
        flavour(setting, library, engine.getVersion(), cuda),
        library,
        cuda,
        gpus);
  }

  private static Gpu gpu(int index) {
    String capability = "";
    long memory = -1;
    try {
      capability = CudaUtils.getComputeCapability(index);
      MemoryUsage usage = CudaUtils.getGpuMemory(Device.gpu(index));
      memory = usage.getMax();
    } catch (RuntimeException e) {
      // The count came from the same runtime; a device it cannot describe is still listed.
    }
    return new Gpu(index, capability, memory);
  }

  /** The library folder in DJL's description of a PyTorch engine, or empty. */
  static String library(String engineDescription) {
    for (String line : engineDescription.split("\n")) {
      Matcher m = LIBRARY_LINE.matcher(line.strip());
      if (m.matches()) {
        return m.group(1).strip();
      }
    }
    return "";
  }

  /**
   * The native library's flavour: the {@code PYTORCH_FLAVOR} setting when there is one (DJL then
   * uses it as is); else the flavour in the name of DJL's cache folder, {@code <version>[-<build
   * date>]-<flavour>-<os>-<arch>}; else {@code cpu}, or {@code cuda} for a library with CUDA whose
   * flavour nothing names.
   */
  static String flavour(String setting, String library, String version, boolean cuda) {
    if (setting != null && !setting.isBlank()) {
      return setting.strip();
    }
    if (!library.isEmpty()) {
      Path name = Path.of(library).getFileName();
      Matcher m =
          Pattern.compile(Pattern.quote(version) + "(?:-[0-9]+)?-(.+)-(linux|osx|win)-[a-z0-9_]+")
              .matcher(name == null ? "" : name.toString());
      if (m.matches()) {
        return m.group(1);
      }
    }
    return cuda ? "cuda" : "cpu";
  }

  /** The lines {@code mm1 --version} prints. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "engine "
            + engine
            + " "
            + version
            + ", flavour "
            + flavour
            + (cuda ? " (built with CUDA)" : " (no CUDA)")
            + (library.isEmpty() ? "" : ", loaded from " + library));
    if (gpus.isEmpty()) {
      lines.add(
          "devices: cpu only; the engine sees no GPU"
              + (cuda ? " (is the CUDA runtime, libcudart, on the library path?)" : ""));
    } else {
      List<String> each = new ArrayList<>();
      for (Gpu gpu : gpus) {
        List<String> facts = new ArrayList<>();
        if (gpu.computeCapability().length() >= 2) {
          String cc = gpu.computeCapability();
          facts.add(
              "compute capability "
                  + cc.substring(0, cc.length() - 1)
                  + "."
                  + cc.substring(cc.length() - 1));
        }
        if (gpu.memoryBytes() > 0) {
          facts.add(
              String.format(Locale.ROOT, "%.1f GiB", gpu.memoryBytes() / (double) (1L << 30)));
        }
        each.add(
            "gpu:" + gpu.index() + (facts.isEmpty() ? "" : " (" + String.join(", ", facts) + ")"));
      }
      lines.add(
          "devices: "
              + gpus.size()
              + (gpus.size() == 1 ? " GPU, " : " GPUs, ")
              + String.join(", ", each)
              + "; and the cpu");
    }
    return lines;
  }
}
