package org.mm1lab.core.ablate.findings;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mm1lab.core.ablate.AblationPlan;
import org.mm1lab.core.ablate.AblationSession;
import org.mm1lab.core.ablate.MachineInfo;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * Where a grid's numbers come from, as the findings document states it: the folder, the commands
 * that ran it (recorded in its {@code timing.json}, or else rebuilt from its {@code ablation.json}
 * and said to be), its seeds and the settings every run shared, how many runs have results, and its
 * wall time and the machine it ran on, session by session.
 */
final class GridProvenance {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private GridProvenance() {}

  /** The anchor of a grid's section. */
  static String anchor(String grid) {
    return "grid-" + grid;
  }

  /** The commands that ran the grid, as recorded; or the one that would, rebuilt. */
  static List<String> commands(MeasuredGrid g, Path cwd) {
    Set<String> recorded = new LinkedHashSet<>();
    for (AblationSession s : g.timing().sessions()) {
      if (!s.provenance().command().isEmpty()) {
        recorded.add(launcher(s.provenance().command()));
      }
    }
    if (!recorded.isEmpty()) {
      return List.copyOf(recorded);
    }
    String folder = display(g.folder().root(), cwd);
    boolean defaultFolder = folder.equals(Ablation.defaultFolder(g.name()).toString());
    return List.of(
        "./mm1 ablate "
            + display(Path.of(g.comparison().plan().gridFile()), cwd)
            + (defaultFolder ? "" : " --out " + folder));
  }

  /** Whether the commands were recorded rather than rebuilt. */
  static boolean recorded(MeasuredGrid g) {
    return g.timing().sessions().stream().anyMatch(s -> !s.provenance().command().isEmpty());
  }

  /** {@code 35m12s over 2 sessions}, or why there is no wall time. */
  static String wallTime(MeasuredGrid g) {
    List<AblationSession> sessions = g.timing().sessions();
    if (!g.timingProblem().isEmpty()) {
      return "not known: " + g.timingProblem();
    }
    if (sessions.isEmpty()) {
      return "not recorded (the folder has no timing.json: it ran before mm1 ablate recorded its"
          + " sessions, or by cluster jobs)";
    }
    return Progress.duration(g.timing().totalWallSeconds())
        + (sessions.size() == 1 ? " in 1 session" : " over " + sessions.size() + " sessions")
        + (sessions.stream().allMatch(AblationSession::finished)
            ? ""
            : " (one without a recorded end counts up to its last record)");
  }

  /** The machines the sessions ran on, each once. */
  static String machines(MeasuredGrid g) {
    Set<String> machines = new LinkedHashSet<>();
    g.timing().sessions().forEach(s -> machines.add(s.machine().describe()));
    return machines.isEmpty() ? "not recorded" : String.join("; ", machines);
  }

  /** The grid's section of the document. */
  static String markdown(MeasuredGrid g, Path cwd) {
    AblationPlan plan = g.comparison().plan();
    StringBuilder md = new StringBuilder(2048);
    md.append("<a id=\"").append(anchor(plan.name())).append("\"></a>\n\n");
    md.append("### Grid ").append(plan.name()).append("\n\n");
    if (!plan.description().isBlank()) {
      md.append(FindingsMarkdown.text(plan.description())).append("\n\n");
    }
    md.append("- Folder: `").append(display(g.folder().root(), cwd)).append("`\n");
    md.append("- Grid file, as recorded: `")
        .append(display(Path.of(plan.gridFile()), cwd))
        .append("` (its copy in the folder: `grid.conf`)\n");
    md.append("- Seeds: ")
        .append(plan.seeds().isEmpty() ? "none (one run per variant)" : plan.seeds().toString())
        .append("; runs with results: ")
        .append(plan.runs().size() - g.comparison().data().missing().size())
        .append(" of ")
        .append(plan.runs().size())
        .append('\n');
    Map<String, String> missing = g.comparison().data().missing();
    if (!missing.isEmpty()) {
      List<String> parts = new ArrayList<>();
      missing.forEach(
          (run, why) -> parts.add("`" + run + "` (" + FindingsMarkdown.text(why) + ")"));
      md.append("- Missing: ").append(String.join(", ", parts)).append('\n');
    }
    List<String> shared = sharedSettings(plan);
    md.append("- Settings every run shares (ablation.json): ")
        .append(shared.isEmpty() ? "none" : "`" + String.join("`, `", shared) + "`")
        .append('\n');
    md.append(
        recorded(g)
            ? "- Command, as recorded (from the repository root):"
            : "- Command (rebuilt from ablation.json; the folder records none):");
    List<String> commands = commands(g, cwd);
    md.append("\n\n```\n").append(String.join("\n", commands)).append("\n```\n\n");
    md.append("- Wall time: ").append(wallTime(g)).append('\n');
    md.append("- Machine: ").append(machines(g)).append("\n\n");
    List<AblationSession> sessions = g.timing().sessions();
    if (!sessions.isEmpty()) {
      md.append(
          "| Session | Started (UTC) | Wall time | Jobs | Ran | Failed | Machine | Load at start"
              + " | Load at end | mm1 | Commit |\n");
      md.append("|---:|---|---:|---:|---:|---:|---|---|---|---|---|\n");
      for (int i = 0; i < sessions.size(); i++) {
        AblationSession s = sessions.get(i);
        md.append("| ")
            .append(i + 1)
            .append(" | ")
            .append(TIME.format(s.start()))
            .append(" | ")
            .append(Progress.duration(s.wallSeconds()))
            .append(s.finished() ? "" : " (no recorded end)")
            .append(s.interrupted() ? " (interrupted)" : "")
            .append(" | ")
            .append(s.jobs())
            .append(" | ")
            .append(s.ran())
            .append(" | ")
            .append(s.failed())
            .append(" | ")
            .append(FindingsMarkdown.cell(s.machine().describe()))
            .append(" | ")
            .append(orDash(MachineInfo.describeLoad(s.loadStart())))
            .append(" | ")
            .append(orDash(MachineInfo.describeLoad(s.loadEnd())))
            .append(" | ")
            .append(orDash(s.provenance().version()))
            .append(" | ")
            .append(orDash(s.provenance().commit()))
            .append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /**
   * The overrides every run of the plan has (the grid's {@code set} and any {@code --set}), the
   * seed and run name aside.
   */
  static List<String> sharedSettings(AblationPlan plan) {
    if (plan.runs().isEmpty()) {
      return List.of();
    }
    List<String> shared = new ArrayList<>(plan.runs().get(0).overrides());
    for (AblationPlan.Run run : plan.runs()) {
      shared.retainAll(run.overrides());
    }
    shared.removeIf(o -> o.startsWith("mm1.seed=") || o.startsWith("mm1.name="));
    return shared;
  }

  /** A recorded {@code mm1 ...} command as typed at the repository root, with the launcher. */
  private static String launcher(String command) {
    return command.startsWith("mm1 ") ? "./" + command : command;
  }

  /** A path relative to the working folder when it lies inside it, else as it is. */
  static String display(Path path, Path cwd) {
    Path absolute = path.toAbsolutePath().normalize();
    Path base = cwd.toAbsolutePath().normalize();
    return absolute.startsWith(base) && !absolute.equals(base)
        ? base.relativize(absolute).toString()
        : absolute.toString();
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "\u2014" : FindingsMarkdown.cell(text);
  }
}
