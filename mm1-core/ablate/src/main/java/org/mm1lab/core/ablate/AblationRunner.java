package org.mm1lab.core.ablate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mm1lab.core.io.AtomicFiles;
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

  /** Seconds between checks of the measured seconds per step, for the estimate. */
  private static final long ESTIMATE_SECONDS = 15;

  /** Lines of a failed variant's log shown. */
  private static final int TAIL_LINES = 12;

  /** Seconds between records of the session's time, so that a killed session loses at most this. */
  private static final long HEARTBEAT_SECONDS = 60;

  private final List<String> launcher;
  private final int jobs;
  private final PrintWriter out;
  private final AblationProvenance provenance;
  private final Object lock = new Object();
  private final Set<Process> live = new HashSet<>();
  private volatile boolean stopping;
  private volatile SessionRecorder session;

  /**
   * A runner whose sessions record no command or version in {@code timing.json}.
   *
   * @param launcher the command that starts {@code mm1} (e.g. {@code java -cp ... Main}); {@code
   *     run FILE --out DIR} is appended
   * @param jobs how many variants run at a time (at least 1)
   * @param out where progress lines go
   */
  public AblationRunner(List<String> launcher, int jobs, PrintWriter out) {
    this(launcher, jobs, out, AblationProvenance.unknown());
  }

  /**
   * @param launcher the command that starts {@code mm1} (e.g. {@code java -cp ... Main}); {@code
   *     run FILE --out DIR} is appended
   * @param jobs how many variants run at a time (at least 1)
   * @param out where progress lines go
   * @param provenance the command and code version each session records in {@code timing.json}
   */
  public AblationRunner(
      List<String> launcher, int jobs, PrintWriter out, AblationProvenance provenance) {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
    }
    this.launcher = List.copyOf(launcher);
    this.jobs = jobs;
    this.out = out;
    this.provenance = provenance;
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

  /**
   * Runs every incomplete stage and variant of a prepared ablation, recording the session (when
   * anything is left to run) in the folder's {@code timing.json}.
   */
  public Outcome run(AblationSetup.Prepared ablation) {
    long started = System.nanoTime();
    AblationFolder folder = ablation.folder();
    List<Variant> pending = new ArrayList<>();
    for (Variant v : ablation.runs()) {
      if (!folder.complete(v.name())) {
        pending.add(v);
      }
    }
    Map<String, String> stageOf = new HashMap<>();
    for (AblationPlan.Run r : ablation.plan().runs()) {
      if (r.stage() != null) {
        stageOf.put(r.name(), r.stage());
      }
    }
    Set<String> needed = new HashSet<>();
    pending.forEach(v -> needed.add(stageOf.get(v.name())));
    List<EncoderStage> pendingStages = new ArrayList<>();
    int stagesComplete = 0;
    for (EncoderStage stage : ablation.stages()) {
      if (folder.stageComplete(stage.name())) {
        stagesComplete++;
      } else if (needed.contains(stage.name())) {
        pendingStages.add(stage);
      }
    }
    int total = ablation.runs().size();
    int skipped = total - pending.size();
    int children = pending.size() + pendingStages.size();
    print(
        String.format(
            Locale.ROOT,
            "ablation %s: %d runs, %d complete, %d to run%s, %d at a time; folder %s",
            ablation.grid().name(),
            total,
            skipped,
            pending.size(),
            ablation.stages().isEmpty()
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; %d encoder stages, %d complete, %d to run",
                    ablation.stages().size(),
                    stagesComplete,
                    pendingStages.size()),
            Math.min(jobs, Math.max(1, children)),
            folder.root()));
    if (pending.isEmpty()) {
      return new Outcome(0, skipped, List.of(), false);
    }
    AblationEstimate estimate =
        new AblationEstimate(
            folder,
            ablation.plan(),
            Math.min(jobs, children),
            pending.stream().map(Variant::name).toList(),
            pendingStages.stream().map(EncoderStage::name).toList());
    print(estimate.before());
    SessionRecorder recorder =
        new SessionRecorder(
            folder, provenance, Math.min(jobs, children), java.time.Clock.systemUTC(), this::print);
    recorder.begin();
    session = recorder;
    Thread hook = new Thread(this::stopChildren, "mm1-ablate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, children));
    ScheduledExecutorService watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mm1-ablate-estimate");
              t.setDaemon(true);
              return t;
            });
    ScheduledFuture<?> watching =
        watcher.scheduleWithFixedDelay(
            () -> estimate.update().ifPresent(this::print),
            ESTIMATE_SECONDS,
            ESTIMATE_SECONDS,
            TimeUnit.SECONDS);
    ScheduledFuture<?> heartbeat =
        watcher.scheduleWithFixedDelay(
            recorder::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    AtomicInteger finished = new AtomicInteger();
    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger ran = new AtomicInteger();
    try {
      // Every stage is queued before any variant, so that a variant waiting for its stage never
      // holds the only thread the stage could run on.
      Map<String, Future<Boolean>> stages = new HashMap<>();
      for (EncoderStage stage : pendingStages) {
        stages.put(
            stage.name(),
            pool.submit(
                () -> {
                  Boolean ok;
                  try {
                    ok = runStage(folder, stage, estimate);
                  } catch (IOException e) {
                    print("stage " + stage.name() + " FAILED to start: " + e.getMessage());
                    ok = false;
                  }
                  return ok;
                }));
      }
      List<Future<?>> futures = new ArrayList<>();
      for (Variant v : pending) {
        Future<Boolean> stage = stages.get(stageOf.get(v.name()));
        futures.add(
            pool.submit(
                () -> {
                  Boolean ok;
                  if (stage != null && !Boolean.TRUE.equals(stage.get())) {
                    ok = stage.get() == null ? null : stageFailed(v, stageOf, finished, folder);
                  } else {
                    try {
                      ok = runOne(folder, v, finished, pending.size(), estimate);
                    } catch (IOException e) {
                      print(v.name() + " FAILED to start: " + e.getMessage());
                      ok = false;
                    }
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
      watching.cancel(false);
      heartbeat.cancel(false);
      watcher.shutdownNow();
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it stopped the children.
      }
    }
    recorder.finish(ran.get(), failed.size(), stopping);
    print(
        "wall time "
            + Progress.duration((System.nanoTime() - started) / 1e9)
            + estimate.first().map(e -> "; first estimate " + e).orElse("; no estimate was made"));
    return new Outcome(ran.get(), skipped, List.copyOf(failed), stopping);
  }

  /** A variant whose stage failed fails too, without starting. */
  private boolean stageFailed(
      Variant v, Map<String, String> stageOf, AtomicInteger finished, AblationFolder folder) {
    String stage = stageOf.get(v.name());
    print(
        String.format(
            Locale.ROOT,
            "[%d] %s FAILED: its encoder stage %s failed; see %s",
            finished.incrementAndGet(),
            v.name(),
            stage,
            folder.stageLog(stage)));
    return false;
  }

  /**
   * Runs one stage: {@code mm1 pretrain-encoder stage.conf --out partial/} from scratch (a
   * pretraining has no checkpoints to resume from, so a leftover partial folder is deleted), then
   * renames {@code partial/} to {@code encoder/} and writes the completion marker. A run loads only
   * {@code encoder/}, which never holds a half-written file. True when it completed, false when it
   * failed, null when stopped.
   */
  private Boolean runStage(AblationFolder folder, EncoderStage stage, AblationEstimate estimate)
      throws IOException, InterruptedException {
    String name = stage.name();
    Path partial = folder.stagePartial(name);
    Path output = folder.stageOutput(name);
    deleteTree(partial);
    // Left by a stop between the rename and the marker: its files are whole, but start over
    // rather than trust a stage whose end was not recorded.
    deleteTree(output);
    Files.createDirectories(folder.stage(name));
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(
            "pretrain-encoder", folder.stageConfig(name).toString(), "--out", partial.toString()));
    long start = System.nanoTime();
    Integer exit = execute(command, folder.stageLog(name), "stage " + name);
    if (exit == null) {
      return null;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String took = Progress.duration(seconds);
    if (exit == 0 && Files.isRegularFile(partial.resolve(RunLayout.Pretraining.WEIGHTS))) {
      Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.writeString(folder.stageDone(name), stage.hash() + "\n");
      estimate.finished(true, name, seconds);
      recordChild(name, true, seconds, "done");
      print(
          String.format(
              Locale.ROOT,
              "stage %s done in %s; %s; loaded by %d run(s)",
              name,
              took,
              StageSummary.lossLine(folder.stageMetrics(name)),
              stage.runs().size()));
      return true;
    }
    if (stopping) {
      recordChild(name, true, seconds, "stopped");
      print("stage " + name + " stopped after " + took + "; it starts over next time");
      return null;
    }
    recordChild(name, true, seconds, "failed");
    StringBuilder message =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "stage %s FAILED after %s (%s); its runs (%s) will not start; the end of %s:",
                name,
                took,
                exit == 0 ? "no " + RunLayout.Pretraining.WEIGHTS : "exit " + exit,
                String.join(", ", stage.runs()),
                folder.stageLog(name)));
    for (String line : tail(folder.stageLog(name))) {
      message.append("\n    ").append(line);
    }
    print(message.toString());
    return false;
  }

  /** Deletes a folder and everything in it, if it exists. */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Starts a child with its output appended to {@code log} and waits for it: its exit status, or
   * null when the ablation was stopping before it started.
   */
  private Integer execute(List<String> command, Path log, String label)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (jobs > 1 && !builder.environment().containsKey("OMP_NUM_THREADS")) {
      // Each PyTorch process would otherwise use every core, and N of them would thrash.
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
      builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    }
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
    print("start " + label);
    int exit = process.waitFor();
    synchronized (lock) {
      live.remove(process);
    }
    return exit;
  }

  /** Runs one variant; true when it completed, false when it failed, null when stopped first. */
  private Boolean runOne(
      AblationFolder folder,
      Variant v,
      AtomicInteger finished,
      int count,
      AblationEstimate estimate)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(
            "run",
            folder.variantConfig(v.name()).toString(),
            "--out",
            folder.variant(v.name()).toString()));
    Path log = folder.log(v.name());
    long start = System.nanoTime();
    Integer exit = execute(command, log, v.name());
    if (exit == null) {
      return null;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String took = Progress.duration(seconds);
    int k = finished.incrementAndGet();
    if (exit == 0 && folder.complete(v.name())) {
      estimate.finished(false, v.name(), seconds);
      recordChild(v.name(), false, seconds, "done");
      print(
          String.format(
              Locale.ROOT,
              "[%d/%d] %s done in %s; %s",
              k,
              count,
              v.name(),
              took,
              averages(folder.results(v.name()))));
      estimate.update().ifPresent(this::print);
      return true;
    }
    if (stopping) {
      recordChild(v.name(), false, seconds, "stopped");
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
    recordChild(v.name(), false, seconds, "failed");
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
      recordStop();
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
    recordStop();
    LOG.info("stopped; run the same command again to resume");
  }

  /** The JVM may halt before run() records the session's end: records it from the hook. */
  private void recordStop() {
    SessionRecorder recorder = session;
    if (recorder != null) {
      recorder.finishStopped();
    }
  }

  private void recordChild(String name, boolean stage, double seconds, String outcome) {
    SessionRecorder recorder = session;
    if (recorder != null) {
      recorder.child(name, stage, seconds, outcome);
    }
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
