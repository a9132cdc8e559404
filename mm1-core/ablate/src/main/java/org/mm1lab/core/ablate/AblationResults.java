package org.mm1lab.core.ablate;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mm1lab.core.UserException;
import org.mm1lab.core.report.EvalResults;
import org.mm1lab.core.report.MetricsLog;

/**
 * What an ablation folder holds for each planned run: its evaluation results and training metrics
 * where they exist, and otherwise why not. Whatever exists is used; a run without results is
 * missing, never dropped silently.
 */
public final class AblationResults {

  private final AblationPlan plan;
  private AblationFolder folder;
  private final Map<String, EvalResults> results = new LinkedHashMap<>();
  private final Map<String, MetricsLog> metrics = new LinkedHashMap<>();
  private final Map<String, String> missing = new LinkedHashMap<>();

  private AblationResults(AblationPlan plan) {
    this.plan = plan;
  }

  /**
   * Reads the plan and every run's files; a corrupt file makes its run missing (with the reason).
   *
   * @throws UserException when the folder holds no {@code ablation.json}
   */
  public static AblationResults read(AblationFolder folder) {
    AblationResults r = new AblationResults(AblationPlan.read(folder.plan()));
    r.folder = folder;
    for (AblationPlan.Run run : r.plan.runs()) {
      String name = run.name();
      MetricsLog log = null;
      if (Files.isRegularFile(folder.metrics(name))) {
        try {
          log = MetricsLog.read(folder.metrics(name));
          r.metrics.put(name, log);
        } catch (UserException e) {
          r.missing.put(name, "metrics unreadable: " + e.getMessage());
        }
      }
      if (folder.complete(name)) {
        try {
          r.results.put(name, EvalResults.read(folder.results(name)));
          r.missing.remove(name);
          continue;
        } catch (UserException e) {
          r.missing.put(name, "results unreadable: " + e.getMessage());
          continue;
        }
      }
      if (log != null && log.lastStep().isPresent()) {
        r.missing.put(name, "not evaluated; trained to step " + log.lastStep().getAsLong());
      } else if (Files.isDirectory(folder.variantRun(name).checkpoints())
          || Files.isRegularFile(folder.log(name))) {
        r.missing.put(name, "started, no step logged");
      } else {
        r.missing.putIfAbsent(name, "not run");
      }
    }
    return r;
  }

  /** The plan. */
  public AblationPlan plan() {
    return plan;
  }

  /** The folder read, or null for results made in memory. */
  public AblationFolder folder() {
    return folder;
  }

  /** A run's evaluation results, if it has them. */
  public Optional<EvalResults> results(String run) {
    return Optional.ofNullable(results.get(run));
  }

  /** A run's training metrics, if it has them. */
  public Optional<MetricsLog> metrics(String run) {
    return Optional.ofNullable(metrics.get(run));
  }

  /** Runs without results, with the reason, in plan order. */
  public Map<String, String> missing() {
    return java.util.Collections.unmodifiableMap(missing);
  }
}
