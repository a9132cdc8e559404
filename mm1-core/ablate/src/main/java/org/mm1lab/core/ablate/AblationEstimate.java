package org.mm1lab.core.ablate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.report.MetricsLog;

/**
 * How long the rest of an ablation will take, from what has been measured on this machine, and
 * never from a guess: the work is the pretraining steps of the stages and the training steps of the
 * runs still to do; the seconds per step of each kind are read from the {@code metrics.jsonl} of
 * stages and runs that have logged steps (earlier in this folder, or the first running ones), and
 * the time a child spends outside its steps (start-up, building the model, evaluation, the report)
 * is measured on the first child of each kind that finishes. Until a figure is measured the
 * estimate says so instead of inventing it. With {@code jobs > 1} the total is divided by the jobs,
 * since the measured seconds per step already include the sharing of the cores.
 */
final class AblationEstimate {

  /** What a figure was measured on, for the estimate's line. */
  private record Rate(double secondsPerStep, String from) {}

  private final AblationFolder folder;
  private final AblationPlan plan;
  private final int jobs;
  private final Map<String, Integer> runSteps = new LinkedHashMap<>();
  private final Map<String, Integer> stageSteps = new LinkedHashMap<>();
  private final List<String> runsLeft;
  private final List<String> stagesLeft;
  private final List<Double> runOverheads = new ArrayList<>();
  private final List<Double> stageOverheads = new ArrayList<>();
  private String lastBasis = "";
  private String first;

  /**
   * @param runsLeft the runs still to run
   * @param stagesLeft the stages still to run
   */
  AblationEstimate(
      AblationFolder folder,
      AblationPlan plan,
      int jobs,
      List<String> runsLeft,
      List<String> stagesLeft) {
    this.folder = folder;
    this.plan = plan;
    this.jobs = Math.max(1, jobs);
    this.runsLeft = new ArrayList<>(runsLeft);
    this.stagesLeft = new ArrayList<>(stagesLeft);
    for (AblationPlan.Run run : plan.runs()) {
      runSteps.put(run.name(), trainSteps(folder.variantConfig(run.name())));
    }
    for (AblationPlan.Stage stage : plan.stages()) {
      stageSteps.put(stage.name(), stage.steps());
    }
  }

  /** The line printed before anything starts: the work, and the estimate if rates are known. */
  synchronized String before() {
    long runWork = runsLeft.stream().mapToLong(runSteps::get).sum();
    long stageWork = stagesLeft.stream().mapToLong(stageSteps::get).sum();
    String work =
        String.format(
            Locale.ROOT,
            "work: %d runs, %d training steps%s",
            runsLeft.size(),
            runWork,
            stagesLeft.isEmpty()
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; %d encoder stages, %d pretraining steps",
                    stagesLeft.size(),
                    stageWork));
    Optional<String> estimate = update();
    return work
        + "; "
        + estimate.orElse(
            "estimate: once the first steps are measured (seconds per step on this" + " machine)");
  }

  /** A child finished: its time outside its steps is measured. */
  synchronized void finished(boolean stage, String name, double wallSeconds) {
    (stage ? stagesLeft : runsLeft).remove(name);
    Optional<Rate> own = stage ? stageRate(List.of(name)) : runRate(List.of(name));
    if (own.isPresent()) {
      int steps = stage ? stageSteps.get(name) : runSteps.get(name);
      double overhead = Math.max(0, wallSeconds - steps * own.get().secondsPerStep());
      (stage ? stageOverheads : runOverheads).add(overhead);
    }
  }

  /**
   * A new estimate line when what it is based on has changed since the last one (a kind's seconds
   * per step or overhead measured for the first time), else empty. While one kind of child is not
   * yet measured the line gives a lower bound ("at least") and says what it leaves out.
   */
  synchronized Optional<String> update() {
    Optional<Rate> runRate = runsLeft.isEmpty() ? Optional.empty() : runRate(runNames());
    Optional<Rate> stageRate = stagesLeft.isEmpty() ? Optional.empty() : stageRate(stageNames());
    boolean runsKnown = runsLeft.isEmpty() || runRate.isPresent();
    boolean stagesKnown = stagesLeft.isEmpty() || stageRate.isPresent();
    if (runRate.isEmpty() && stageRate.isEmpty()) {
      return Optional.empty();
    }
    String basis =
        runRate.isPresent()
            + "/"
            + stageRate.isPresent()
            + "/"
            + runOverheads.isEmpty()
            + "/"
            + stageOverheads.isEmpty();
    if (basis.equals(lastBasis)) {
      return Optional.empty();
    }
    lastBasis = basis;
    double seconds = 0;
    List<String> from = new ArrayList<>();
    if (runRate.isPresent()) {
      seconds += remaining(runsLeft, runSteps, false) * runRate.get().secondsPerStep();
      seconds += runsLeft.size() * mean(runOverheads);
      from.add(
          String.format(
              Locale.ROOT,
              "runs %.3f s/step measured on %s; start-up and evaluation %s",
              runRate.get().secondsPerStep(),
              runRate.get().from(),
              runOverheads.isEmpty()
                  ? "not yet measured (not included)"
                  : Progress.duration(mean(runOverheads)) + " per run measured"));
    }
    if (stageRate.isPresent()) {
      seconds += remaining(stagesLeft, stageSteps, true) * stageRate.get().secondsPerStep();
      seconds += stagesLeft.size() * mean(stageOverheads);
      from.add(
          String.format(
              Locale.ROOT,
              "stages %.3f s/step measured on %s; start-up %s",
              stageRate.get().secondsPerStep(),
              stageRate.get().from(),
              stageOverheads.isEmpty()
                  ? "not yet measured (not included)"
                  : Progress.duration(mean(stageOverheads)) + " per stage measured"));
    }
    if (!runsKnown) {
      from.add("runs not yet measured (not included)");
    }
    if (!stagesKnown) {
      from.add("stages not yet measured (not included)");
    }
    boolean complete = runsKnown && stagesKnown;
    String line =
        "estimate: "
            + (complete ? "about " : "at least ")
            + Progress.duration(seconds / jobs)
            + " left"
            + (jobs > 1 ? " (" + jobs + " at a time)" : "")
            + " ("
            + String.join("; ", from)
            + ")";
    if (first == null && complete) {
      first = Progress.duration(seconds / jobs);
    }
    return Optional.of(line);
  }

  /** The first estimate given that covered all the work, if any. */
  synchronized Optional<String> first() {
    return Optional.ofNullable(first);
  }

  private List<String> runNames() {
    return plan.runs().stream().map(AblationPlan.Run::name).toList();
  }

  private List<String> stageNames() {
    return plan.stages().stream().map(AblationPlan.Stage::name).toList();
  }

  /** Steps still to do: a child's steps minus those its metrics show done. */
  private long remaining(List<String> names, Map<String, Integer> steps, boolean stage) {
    long total = 0;
    for (String name : names) {
      long done = metrics(name, stage).flatMap(m -> stepsDone(m)).orElse(0L);
      total += Math.max(0, steps.get(name) - done);
    }
    return total;
  }

  private static Optional<Long> stepsDone(MetricsLog log) {
    return log.lastStep().isPresent() ? Optional.of(log.lastStep().getAsLong()) : Optional.empty();
  }

  /** The seconds per step of the run with the most logged steps among {@code names}. */
  private Optional<Rate> runRate(List<String> names) {
    return rate(names, false);
  }

  private Optional<Rate> stageRate(List<String> names) {
    return rate(names, true);
  }

  private Optional<Rate> rate(List<String> names, boolean stage) {
    Rate best = null;
    double bestSteps = 0;
    for (String name : names) {
      Optional<MetricsLog> log = metrics(name, stage);
      if (log.isEmpty()) {
        continue;
      }
      double[] steps = log.get().steps();
      double[] elapsed = log.get().elapsedSeconds();
      int n = steps.length;
      if (n == 0 || !Double.isFinite(elapsed[n - 1])) {
        continue;
      }
      // The last stretch without a resume (elapsed time restarts when a run resumes).
      int j = n - 1;
      while (j > 0 && elapsed[j - 1] <= elapsed[j] && Double.isFinite(elapsed[j - 1])) {
        j--;
      }
      // Two logged lines at least: the first step alone carries the warm-up (memory, kernels).
      if (n - 1 <= j) {
        continue;
      }
      double span = steps[n - 1] - steps[j];
      double time = elapsed[n - 1] - elapsed[j];
      if (span > bestSteps && time > 0) {
        bestSteps = span;
        best =
            new Rate(
                time / span, String.format(Locale.ROOT, "%s (%.0f steps)", name, steps[n - 1]));
      }
    }
    return Optional.ofNullable(best);
  }

  private Optional<MetricsLog> metrics(String name, boolean stage) {
    List<Path> candidates =
        stage
            ? List.of(
                folder.stageMetrics(name),
                folder.stagePartial(name).resolve(org.mm1lab.core.layout.RunLayout.METRICS))
            : List.of(folder.metrics(name));
    for (Path file : candidates) {
      if (Files.isRegularFile(file)) {
        try {
          return Optional.of(MetricsLog.read(file));
        } catch (UserException | java.io.UncheckedIOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /** {@code mm1.train.steps} of a variant's run file, or the default. */
  static int trainSteps(Path variantConfig) {
    try {
      Config config =
          ConfigFactory.parseFile(variantConfig.toFile())
              .withFallback(ConfigFactory.defaultReference(AblationEstimate.class.getClassLoader()))
              .resolve();
      return config.getInt("mm1.train.steps");
    } catch (ConfigException e) {
      return 0;
    }
  }
}
