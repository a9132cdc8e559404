package org.mm1lab.core.config;

import java.util.regex.Pattern;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.core.UserException;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * The core's own settings that name, seed and place a run (how it trains is {@link
 * org.mm1lab.core.config.TrainSettings}), read and validated once, on construction. Defaults are in
 * mm1-core's {@code reference.conf}.
 */
public final class RunSettings {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:[0-9]+");

  private final String name;
  private final long seed;
  private final String device;
  private final String threads;

  /**
   * Reads and checks the settings.
   *
   * @throws UserException naming the first bad value's path, file and line
   */
  public RunSettings(RunConfig config) {
    ConfigOptions mm1 = config.coreOptions();
    try {
      name = mm1.getString("name");
      if (!NAME.matcher(name).matches()) {
        throw mm1.invalid(
            "name",
            "'" + name + "' is not a usable run name; use letters, digits, '.', '_' or '-'");
      }
      seed = mm1.getLong("seed");
      device = mm1.getString("device");
      if (!DEVICE.matcher(device).matches()) {
        throw mm1.invalid("device", "'" + device + "' is not one of auto, cpu, gpu, gpu:N");
      }
      threads = mm1.getString("threads");
      if (!ThreadCount.valid(threads)) {
        throw mm1.invalid("threads", "'" + threads + "' " + ThreadCount.EXPECTED);
      }
    } catch (InvalidOptionException e) {
      throw new UserException(ConfigErrors.describe(mm1, e), e);
    }
  }

  /** The run's name; its directory defaults to {@code runs/<name>}. */
  public String name() {
    return name;
  }

  /** The seed every random choice derives from. */
  public long seed() {
    return seed;
  }

  /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}. */
  public String device() {
    return device;
  }

  /**
   * The engine's compute threads: {@code auto} (as many as the cores other work leaves free) or a
   * whole number; the run package's {@code ThreadPolicy} resolves it.
   */
  public String threads() {
    return threads;
  }
}
