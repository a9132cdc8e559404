package org.mm1lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.ablate.AblationProvenance;
import org.mm1lab.core.ablate.AblationReport;
import org.mm1lab.core.ablate.AblationRunner;
import org.mm1lab.core.ablate.AblationSetup;
import org.mm1lab.core.ablate.ClusterJob;
import org.mm1lab.core.ablate.GridReader;
import org.mm1lab.core.ablate.KubernetesJob;
import org.mm1lab.core.ablate.SlurmScript;
import org.mm1lab.core.eval.EvalProvenance;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.io.FolderLock;
import org.mm1lab.core.layout.RunLayout.Ablation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mm1 ablate GRID.conf}: runs every variant of a grid as its own {@code mm1 run} and writes
 * the comparison; or, with {@code --emit}, writes a Slurm or Kubernetes job that runs them.
 */
@Command(
    name = "ablate",
    mixinStandardHelpOptions = true,
    subcommands = {AblateReportCommand.class, AblateFindingsCommand.class},
    description = {
      "Run a grid of variants of a base run (see examples/ablations/) and compare them.",
      "Every variant is checked (keys, values, component sizes) before any runs. Each runs"
          + " as 'mm1 run' in a child process, in DIR/variants/<variant>/ with its output in"
          + " log.txt; the comparison goes to DIR/report/index.html, DIR/report.md and"
          + " DIR/report/comparison.csv. Run it again to resume: complete variants are skipped,"
          + " unfinished ones resume from their checkpoints. Ctrl-C stops the children, which"
          + " checkpoint first. Exit status 2 when a variant failed (the others still run).",
      "With ablation.pretrain in the grid, each variant's encoder is first pretrained ('mm1"
          + " pretrain-encoder') in DIR/stages/<stage>/, shared by the variants and seeds whose"
          + " encoder, pretraining and data are the same; the runs load it. Before it starts it"
          + " prints the work and, once measured, an estimate of the time left; at the end, the"
          + " wall time."
    })
final class AblateCommand implements Runnable {

  @Spec CommandSpec spec;

  // Optional to picocli so that "mm1 ablate report DIR" parses; run() requires it.
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "GRID",
      description = "The grid file (HOCON).")
  Path grid;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The ablation folder (default runs/ablations/<name>).")
  Path out;

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description =
          "Override one setting of every variant, after the grid's own set (repeatable), e.g."
              + " --set mm1.train.steps=20 for a quick check. A new value makes a new experiment:"
              + " use another --out.")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "1",
      description = "Variants run at the same time (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(
      names = "--emit",
      arity = "2",
      paramLabel = "KIND DIR",
      description =
          "Do not run: make DIR a bundle for a cluster, with DIR/slurm.sh (KIND slurm, job"
              + " arrays) or DIR/kubernetes.yaml (KIND kubernetes, Indexed Jobs) that run one"
              + " variant per task with the same 'mm1 run'. Every path in the bundle is relative"
              + " to DIR, and the inputs its runs read (checkpoints, tokenizer, data files) are"
              + " copied into DIR/inputs/, so it runs wherever DIR is mounted; then 'mm1 ablate"
              + " report DIR' merges their results.")
  List<String> emit;

  @Option(
      names = "--mm1",
      paramLabel = "COMMAND",
      defaultValue = "mm1",
      description =
          "--emit: the command that starts mm1 where the jobs run (default ${DEFAULT-VALUE}).")
  String mm1;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      defaultValue = "mm1-lab:latest",
      description =
          "--emit kubernetes: the container image holding mm1 (default ${DEFAULT-VALUE}).")
  String image;

  @Option(
      names = "--volume-claim",
      paramLabel = "NAME",
      defaultValue = "mm1-ablations",
      description =
          "--emit kubernetes: the ReadWriteMany persistent volume claim holding the folder at its"
              + " root, mounted at /ablation (default ${DEFAULT-VALUE}).")
  String claim;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "0",
      description = "--emit: variants running at once on the cluster (default: no limit).")
  int parallelism;

  @Option(
      names = "--cpus",
      paramLabel = "N",
      defaultValue = "4",
      description = "--emit: CPU cores per variant (default ${DEFAULT-VALUE}).")
  int cpus;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      defaultValue = "16G",
      description = "--emit: memory per variant, e.g. 16G (default ${DEFAULT-VALUE}).")
  String memory;

  @Option(
      names = "--gpus",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "--emit: GPUs per variant and stage (Slurm --gres=gpu:N, Kubernetes nvidia.com/gpu;"
              + " default ${DEFAULT-VALUE}, none). mm1.device = auto takes the first GPU it sees.")
  int gpus;

  @Override
  public void run() {
    PrintWriter console = spec.commandLine().getOut();
    if (grid == null) {
      throw new ParameterException(spec.commandLine(), "Missing required parameter: 'GRID'");
    }
    if (jobs < 1) {
      throw new UserException("--jobs " + jobs + ": give at least 1");
    }
    AblationSetup setup = new AblationSetup(Plugins.assembly(spec));
    Path target = emit != null && emit.size() > 1 ? Path.of(emit.get(1)) : out;
    Path folder = target != null ? target : Ablation.defaultFolder(GridReader.read(grid).name());
    // One ablate at a time per folder: two would start the same variants twice.
    try (FolderLock lock = FolderLock.acquire(folder, "mm1 ablate")) {
      if (emit != null) {
        emit(setup, console, lock);
      } else {
        run(setup, console, lock);
      }
    }
  }

  private void run(AblationSetup setup, PrintWriter console, FolderLock lock) {
    AblationSetup.Prepared ablation = setup.prepare(grid, out, sets);
    lock.written();
    AblationRunner.Outcome outcome =
        new AblationRunner(launcher(Plugins.childArguments(spec)), jobs, console, provenance())
            .run(ablation);
    Path page = AblationReport.write(ablation.folder().root());
    console.printf(
        "ablation %s: %d ran now, %d complete before, %d failed%s%n",
        ablation.grid().name(),
        outcome.ran(),
        outcome.skipped(),
        outcome.failed().size(),
        outcome.interrupted() ? ", interrupted" : "");
    console.println("report: " + page);
    if (outcome.interrupted()) {
      throw new UserException("interrupted; run the same command again to resume the ablation");
    }
    if (!outcome.failed().isEmpty()) {
      throw new UserException(
          outcome.failed().size()
              + " of "
              + ablation.runs().size()
              + " variants failed ("
              + String.join(", ", outcome.failed())
              + "); see their "
              + Ablation.LOG
              + ", then run the same command again to retry them");
    }
  }

  private void emit(AblationSetup setup, PrintWriter console, FolderLock lock) {
    String kind = emit.get(0);
    if (!kind.equals("slurm") && !kind.equals("kubernetes")) {
      throw new UserException("--emit " + kind + ": give slurm or kubernetes");
    }
    Path dir = Path.of(emit.get(1));
    if (out != null && !out.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
      throw new UserException(
          "--emit names the folder " + dir + " and --out another, " + out + "; give one");
    }
    ClusterJob job = new ClusterJob(mm1, cpus, memory, gpus, parallelism);
    AblationSetup.Prepared ablation = setup.prepare(grid, dir, sets, true);
    lock.written();
    Path file;
    String text;
    if (kind.equals("slurm")) {
      file = ablation.folder().root().resolve(Ablation.SLURM);
      text = SlurmScript.render(ablation.plan(), job);
    } else {
      file = ablation.folder().root().resolve(Ablation.KUBERNETES);
      text = KubernetesJob.render(ablation.plan(), job, image, claim);
    }
    try {
      AtomicFiles.writeString(file, text);
      if (kind.equals("slurm")) {
        file.toFile().setExecutable(true);
      }
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage(), e);
    }
    boolean stages = !ablation.stages().isEmpty();
    console.printf(
        "wrote %s: %d variants, one per task%s%n",
        file,
        ablation.runs().size(),
        stages ? "; " + ablation.stages().size() + " encoder stages before them" : "");
    ablation
        .inputs()
        .forEach((copy, source) -> console.println("copied " + source + " to " + copy));
    if (kind.equals("slurm")) {
      // The script submits the arrays (and, with stages, the dependent arrays) itself.
      console.println(
          "submit: bash "
              + file
              + " (where the folder is mounted on the cluster; MM1_ABLATION_DIR overrides)");
    } else {
      console.println(
          "apply: kubectl apply -f "
              + file
              + " (after copying the folder to the root of a ReadWriteMany volume claim)");
    }
    console.println("then merge the results: mm1 ablate report " + ablation.folder().root());
  }

  /**
   * What the session's timing record names: this command line as typed, mm1's release and the
   * commit of the checkout it was built from (as evaluation results record it).
   */
  private AblationProvenance provenance() {
    List<String> words = new ArrayList<>(List.of("mm1"));
    for (String argument : spec.commandLine().getParseResult().originalArgs()) {
      words.add(shellWord(argument));
    }
    String commit = EvalProvenance.now(null).gitHash();
    return new AblationProvenance(
        String.join(" ", words), VersionProvider.release(), commit == null ? "" : commit);
  }

  /** An argument as a shell reads it back: quoted when it holds anything but plain characters. */
  static String shellWord(String argument) {
    if (!argument.isEmpty() && argument.matches("[A-Za-z0-9_./:=,+@%-]+")) {
      return argument;
    }
    return "'" + argument.replace("'", "'\\''") + "'";
  }

  /**
   * The command that starts mm1 in a child process: this JVM's java and class path, offline, with
   * this JVM's heap settings, and the given options before the command name.
   *
   * @param options global options for every child (its {@code --plugins} folders)
   */
  static List<String> launcher(List<String> options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-Xmx") || argument.startsWith("-Xms")) {
        command.add(argument);
      }
    }
    command.add("-Dai.djl.offline=true");
    command.add("-Djava.awt.headless=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(options);
    return command;
  }
}
