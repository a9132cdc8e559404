package org.mm1lab.core.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.io.FolderLock;
import org.mm1lab.core.layout.RunLayout;

/**
 * A run's folder, laid out as {@link RunLayout} says: the resolved configuration (every default
 * filled in, loadable as a run file), the metrics log, the checkpoints (see {@link
 * org.mm1lab.core.train.Checkpoints}), the evaluation and the report.
 *
 * <p>A folder that already holds a run may only be continued by the same configuration (the step
 * count aside, so that a finished run can be trained longer): anything else is refused before a
 * file is touched, naming the first setting that differs.
 *
 * <p>A command that writes the folder first takes its {@link #lock}, and writes nothing until every
 * check has passed; the writes go through this class (or say so with {@link #changed}), so that a
 * refused command leaves the folder as it found it.
 */
public final class RunDirectory {

  private static final ConfigRenderOptions RENDER =
      ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false);

  private static final DateTimeFormatter ASIDE =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Path root;
  private final RunLayout layout;
  private FolderLock lock;

  /** A view of {@code root}; nothing is created until {@link #prepare}. */
  public RunDirectory(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.layout = new RunLayout(this.root);
  }

  /** The folder. */
  public Path root() {
    return root;
  }

  /** The resolved configuration. */
  public Path configFile() {
    return layout.config();
  }

  /** The metrics log. */
  public Path metricsFile() {
    return layout.metrics();
  }

  /** The checkpoint folder. */
  public Path checkpoints() {
    return layout.checkpoints();
  }

  /** Evaluation results and examples. */
  public Path evalDir() {
    return layout.eval();
  }

  /**
   * Takes the folder's writer lock (creating the folder if needed) for this view's writes; close it
   * when done.
   *
   * @param command the command that writes, as a second writer's refusal names it
   * @throws UserException when another process writes the folder
   */
  public FolderLock lock(String command) {
    lock = FolderLock.acquire(root, command);
    return lock;
  }

  /** Records that the folder was changed, so that releasing the lock leaves it as it now is. */
  public void changed() {
    if (lock != null) {
      lock.written();
    }
  }

  /**
   * Moves files of the run aside, into a new {@code set-aside/TIME/} folder, keeping their paths
   * relative to the run folder; nothing is deleted.
   *
   * @param paths files or folders inside the run folder
   * @param copies files copied rather than moved (a log the run goes on appending to)
   * @return the folder they went to
   */
  public Path setAside(List<Path> paths, List<Path> copies) {
    Path target = root.resolve(RunLayout.SET_ASIDE).resolve(ASIDE.format(Instant.now()));
    for (int i = 2; Files.exists(target); i++) {
      target = target.resolveSibling(ASIDE.format(Instant.now()) + "-" + i);
    }
    changed();
    try {
      for (Path path : copies) {
        if (Files.exists(path)) {
          Path to = target.resolve(root.relativize(path.toAbsolutePath().normalize()));
          Files.createDirectories(to.getParent());
          Files.copy(path, to);
        }
      }
      for (Path path : paths) {
        Path to = target.resolve(root.relativize(path.toAbsolutePath().normalize()));
        Files.createDirectories(to.getParent());
        Files.move(path, to);
      }
    } catch (IOException e) {
      throw new UserException("cannot move files aside into " + target + ": " + reason(e), e);
    }
    return target;
  }

  /** Whether the folder holds a run (its {@code run.conf}). */
  public boolean exists() {
    return Files.isRegularFile(configFile());
  }

  /**
   * Makes the folder ready for {@code config}: a new folder gets {@code run.conf}; an existing run
   * must have the same configuration, the step count aside, whose new value is recorded.
   *
   * @throws UserException when the folder holds a different run, or cannot be written
   */
  public void prepare(RunConfig config) {
    check(config);
    String rendered = render(config);
    changed();
    try {
      Files.createDirectories(root);
      AtomicFiles.writeString(configFile(), rendered);
    } catch (IOException e) {
      throw new UserException("cannot write the run folder " + root + ": " + reason(e), e);
    }
  }

  /**
   * Checks, writing nothing, that {@code config} may train in this folder: the folder holds no run,
   * or one with the same configuration, the step count aside.
   *
   * @throws UserException when the folder holds a different run, or its run.conf is unreadable
   */
  public void check(RunConfig config) {
    if (!exists()) {
      return;
    }
    try {
      Config stored =
          ConfigFactory.parseString(Files.readString(configFile(), StandardCharsets.UTF_8));
      Optional<String> difference = firstDifference(stored, config.config().withOnlyPath("mm1"));
      if (difference.isPresent()) {
        throw new UserException(
            root
                + " already holds a run with another configuration ("
                + difference.get()
                + "); continue it with the same settings, or give a new folder with --out");
      }
    } catch (IOException e) {
      throw new UserException("cannot read " + configFile() + ": " + reason(e), e);
    } catch (com.typesafe.config.ConfigException e) {
      throw new UserException(configFile() + " is not readable HOCON: " + e.getMessage(), e);
    }
  }

  /** An I/O failure's reason for a message: the system's words, not the path it already names. */
  static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The run's resolved configuration as HOCON text, loadable as a run file. */
  public static String render(RunConfig config) {
    return "# The resolved configuration of this run: every value, defaults included.\n"
        + config.config().withOnlyPath("mm1").root().render(RENDER);
  }

  private static Optional<String> firstDifference(Config stored, Config current) {
    Map<String, ConfigValue> before = leaves(stored);
    Map<String, ConfigValue> now = leaves(current);
    for (String path : union(before, now)) {
      if (path.equals("mm1.train.steps")) {
        continue;
      }
      ConfigValue a = before.get(path);
      ConfigValue b = now.get(path);
      String old = a == null ? "unset" : a.render(ConfigRenderOptions.concise());
      String current1 = b == null ? "unset" : b.render(ConfigRenderOptions.concise());
      if (!old.equals(current1)) {
        return Optional.of(path + " was " + old + ", now " + current1);
      }
    }
    return Optional.empty();
  }

  private static Map<String, ConfigValue> leaves(Config config) {
    Map<String, ConfigValue> leaves = new TreeMap<>();
    config.entrySet().forEach(e -> leaves.put(e.getKey(), e.getValue()));
    return leaves;
  }

  private static java.util.SortedSet<String> union(Map<String, ?> a, Map<String, ?> b) {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }
}
