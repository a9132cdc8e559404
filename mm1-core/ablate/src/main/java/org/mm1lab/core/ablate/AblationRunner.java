package org.mm1lab.core.ablate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.report.EvalResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an ablation's variants, each as {@code mm1 run variant.conf --out variants/NAME} in a child
 * process, one after another or {@code jobs} at a time; each child's output goes to its {@code
 * log.txt}. A variant with {@code eval/results.json} is complete and skipped; any other is run,
 * which resumes it from its newest checkpoint. A failed variant is reported with the end of its log
 * and the others go on. Ctrl-C or SIGTERM stops the children with SIGTERM, on which they write a
 * checkpoint, and waits for them: running the ablation again resumes it.
 *
 * <p>Output. Progress goes to {@code out}: the plan (runs, complete, to run), and a line per
 * variant as it starts and as it ends (done with its averages, stopped, or FAILED with the end of
 * its log). Diagnostics go to this class's SLF4J logger: the notes of a stop by signal (info),
 * written from the shutdown hook while the children checkpoint.
 */
public final class AblationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(AblationRunner.class);

  /** Seconds to wait for stopped children to write their checkpoint and exit. */
  private static final long GRACE_SECONDS = 150;

  /** Lines of a failed variant's log shown. */
  private static final int TAIL_LINES = 12;

  private final List<String> launcher;
  private final int jobs;
  private final PrintWriter out;
  private final Object lock = new Object();
  private final Set<Process> live = new HashSet<>();
  private volatile boolean stopping;

  /**
   * @param launcher the command that starts {@code mm1} (e.g. {@code java -cp ... Main}); {@code
   *     run FILE --out DIR} is appended
   * @param jobs how many variants run at a time (at least 1)
   * @param out where progress lines go
   */
  public AblationRunner(List<String> launcher, int jobs, PrintWriter out) {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
    }
    this.launcher = List.copyOf(launcher);
    this.jobs = jobs;
    this.out = out;
  }

  /**
   * What became of the runs.
   *
   * @param ran runs started and completed now
   * @param skipped runs complete before
   * @param failed runs that failed, by name
   * @param interrupted whether a signal stopped the ablation
   */
  public record Outcome(int ran, int skipped, List<String> failed, boolean interrupted) {}

  /** Runs every incomplete variant of a prepared ablation. */
  public Outcome run(AblationSetup.Prepared ablation) {
    AblationFolder folder = ablation.folder();
    List<Variant> pending = new ArrayList<>();
    for (Variant v : ablation.runs()) {
      if (!folder.complete(v.name())) {
        pending.add(v);
      }
    }
    int total = ablation.runs().size();
    int skipped = total - pending.size();
    print(
        String.format(
            Locale.ROOT,
            "ablation %s: %d runs, %d complete, %d to run, %d at a time; folder %s",
            ablation.grid().name(),
            total,
            skipped,
            pending.size(),
            Math.min(jobs, Math.max(1, pending.size())),
            folder.root()));
    if (pending.isEmpty()) {
      return new Outcome(0, skipped, List.of(), false);
    }
    Thread hook = new Thread(this::stopChildren, "mm1-ablate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, pending.size()));
    AtomicInteger finished = new AtomicInteger();
    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger ran = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Variant v : pending) {
        futures.add(
            pool.submit(
                () -> {
                  Boolean ok;
                  try {
                    ok = runOne(folder, v, finished, pending.size());
                  } catch (IOException e) {
                    print(v.name() + " FAILED to start: " + e.getMessage());
                    ok = false;
                  }
                  if (ok == null) {
                    return null;
                  }
                  if (ok) {
                    ran.incrementAndGet();
                  } else {
                    failed.add(v.name());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopChildren();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("running a variant failed unexpectedly", e.getCause());
    } finally {
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it stopped the children.
      }
    }
    return new Outcome(ran.get(), skipped, List.copyOf(failed), stopping);
  }

  /** Runs one variant; true when it completed, false when it failed, null when stopped first. */
  private Boolean runOne(AblationFolder folder, Variant v, AtomicInteger finished, int count)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(
            "run",
            folder.variantConfig(v.name()).toString(),
            "--out",
            folder.variant(v.name()).toString()));
    Path log = folder.log(v.name());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (jobs > 1 && !builder.environment().containsKey("OMP_NUM_THREADS")) {
      // Each PyTorch process would otherwise use every core, and N of them would thrash.
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
      builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    }
    long start = System.nanoTime();
    Process process;
    synchronized (lock) {
      if (stopping) {
        return null;
      }
      Files.writeString(
          log,
          "# mm1 ablate: " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = builder.start();
      live.add(process);
    }
    print("start " + v.name());
    int exit = process.waitFor();
    synchronized (lock) {
      live.remove(process);
    }
    String took = Progress.duration((System.nanoTime() - start) / 1e9);
    int k = finished.incrementAndGet();
    if (exit == 0 && folder.complete(v.name())) {
      print(
          String.format(
              Locale.ROOT,
              "[%d/%d] %s done in %s; %s",
              k,
              count,
              v.name(),
              took,
              averages(folder.results(v.name()))));
      return true;
    }
    if (stopping) {
      print(
          String.format(
              Locale.ROOT,
              "[%d/%d] %s stopped after %s (exit %d); it resumes next time",
              k,
              count,
              v.name(),
              took,
              exit));
      return null;
    }
    StringBuilder message =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "[%d/%d] %s FAILED after %s (%s); the end of %s:",
                k,
                count,
                v.name(),
                took,
                exit == 0 ? "no " + RunLayout.EVAL_RESULTS : "exit " + exit,
                log));
    for (String line : tail(log)) {
      message.append("\n    ").append(line);
    }
    print(message.toString());
    return false;
  }

  /** The shutdown hook: SIGTERM to every child, then wait for their checkpoints. */
  private void stopChildren() {
    List<Process> children;
    synchronized (lock) {
      stopping = true;
      children = new ArrayList<>(live);
    }
    if (children.isEmpty()) {
      return;
    }
    LOG.info("stopping {} running variant(s); they write a checkpoint first", children.size());
    for (Process p : children) {
      p.destroy();
    }
    for (Process p : children) {
      try {
        if (!p.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.info("stopped; run the same command again to resume");
  }

  private void print(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** The average over tasks per shot count, as the comparison shows it. */
  static String averages(Path results) {
    try {
      EvalResults eval = EvalResults.read(results);
      List<String> parts = new ArrayList<>();
      for (int shots : eval.shotCounts()) {
        eval.average(shots)
            .ifPresent(a -> parts.add(String.format(Locale.ROOT, "%d-shot %.1f", shots, a)));
      }
      return "average over tasks " + (parts.isEmpty() ? "n/a" : String.join(", ", parts));
    } catch (RuntimeException e) {
      return "results unreadable: " + e.getMessage();
    }
  }

  private static List<String> tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of("(cannot read the log: " + e.getMessage() + ")");
    }
  }
}
