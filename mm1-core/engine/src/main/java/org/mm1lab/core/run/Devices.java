package org.mm1lab.core.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.mm1lab.core.UserException;

/** Maps the {@code mm1.device} setting onto the devices the engine sees. */
public final class Devices {

  private Devices() {}

  /**
   * The device for {@code setting}: {@code auto} takes the first GPU the engine sees, else the CPU;
   * {@code cpu}; {@code gpu} (the first GPU) or {@code gpu:N}.
   *
   * @throws UserException when a GPU is asked for that the engine does not see
   */
  public static Device select(String setting) {
    Engine engine = Engine.getInstance();
    int gpus = engine.getGpuCount();
    if (setting.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (setting.equals("cpu")) {
      return Device.cpu();
    }
    int index = setting.equals("gpu") ? 0 : Integer.parseInt(setting.substring("gpu:".length()));
    if (index >= gpus) {
      throw new UserException(
          "mm1.device = "
              + setting
              + ": the engine sees "
              + (gpus == 0 ? "no GPU" : gpus + " GPU(s), gpu:0 to gpu:" + (gpus - 1))
              + "; use auto or cpu, or run with a CUDA build of PyTorch (README, GPUs; mm1 --version"
              + " shows what the engine sees)");
    }
    return Device.gpu(index);
  }
}
