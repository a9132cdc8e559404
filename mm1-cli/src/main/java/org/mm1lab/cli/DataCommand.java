package org.mm1lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.sources.DataInspection;
import org.mm1lab.core.sources.DataSources;
import org.mm1lab.core.sources.WorldExport;
import org.mm1lab.core.world.SyntheticWorld;
import org.mm1lab.core.world.WorldSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 data generate|inspect}: write the synthetic world to files; look into a source. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Write the synthetic world in the real formats, or inspect a data source.",
    subcommands = {DataCommand.Generate.class, DataCommand.Inspect.class})
final class DataCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: generate or inspect");
  }

  /** The world a run file describes (its mm1.data.world), or the default one. */
  static SyntheticWorld world(CommandSpec spec, Path runFile, List<String> overrides) {
    if (runFile == null) {
      if (!overrides.isEmpty()) {
        throw new ParameterException(
            new picocli.CommandLine(new DataCommand()), "--set needs --config RUN.conf");
      }
      return new SyntheticWorld(1234, WorldSettings.defaults());
    }
    Assembly assembly = Plugins.assembly(spec, runFile, overrides);
    return DataSources.world(assembly.dataSettings(runFile, overrides));
  }

  /** Writes the world in every format. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write the synthetic world in the real data formats.",
        "Writes its training sources, evaluation sets and in-context shots as WebDataset shards,"
            + " JSON Lines, COCO and VQA files, plus a sources.conf that points a run at them. The"
            + " folder must be new or empty."
      })
  static final class Generate implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "A new or empty folder.")
    Path out;

    @Option(
        names = "--config",
        paramLabel = "RUN.conf",
        description = "Take the world's seed and difficulty (mm1.data.world) from this run file.")
    Path config;

    @Option(
        names = "--set",
        paramLabel = "PATH=VALUE",
        description = "Override a setting of --config.")
    List<String> overrides = new ArrayList<>();

    @Option(
        names = "--count",
        defaultValue = "2000",
        description = "Examples per training source (default ${DEFAULT-VALUE}).")
    int count;

    @Option(
        names = "--eval",
        defaultValue = "200",
        description = "Evaluation items per task (default ${DEFAULT-VALUE}).")
    int eval;

    @Option(
        names = "--shots",
        defaultValue = "64",
        description = "In-context examples per task (default ${DEFAULT-VALUE}).")
    int shots;

    @Option(
        names = "--image-size",
        paramLabel = "PX",
        description =
            "Side of the written images in pixels (default: mm1.data.world.render-size, which is"
                + " auto: the --config run's encoder input size, or 64 without --config).")
    Integer imageSize;

    @Option(
        names = "--shard-size",
        defaultValue = "1000",
        description = "Records per .tar shard (default ${DEFAULT-VALUE}).")
    int shardSize;

    @Override
    public void run() {
      SyntheticWorld world = drawnAt(world(spec, config, overrides));
      WorldExport.Summary summary =
          WorldExport.export(world, out, new WorldExport.Counts(count, eval, shots, shardSize));
      PrintWriter writer = spec.commandLine().getOut();
      writer.println(
          "wrote the synthetic world (seed "
              + world.seed()
              + ", images "
              + world.settings().renderSize()
              + " px) to "
              + out
              + ":");
      for (String line : summary.lines()) {
        writer.println("  " + line);
      }
    }

    /** The world with every image drawn at the size the files are written at. */
    private SyntheticWorld drawnAt(SyntheticWorld world) {
      int side;
      if (imageSize != null) {
        if (imageSize < 16 || imageSize > 4096) {
          throw new ParameterException(
              spec.commandLine(), "--image-size must be between 16 and 4096, got " + imageSize);
        }
        side = imageSize;
      } else {
        side = world.settings().renderSizeFor(config == null ? 0 : encoderSize());
      }
      return new SyntheticWorld(world.seed(), world.settings().withRenderSize(side));
    }

    /** The input size of the --config run's encoder. */
    private int encoderSize() {
      Assembly assembly = Plugins.assembly(spec, config, overrides);
      return assembly.assemble(assembly.plan(config, overrides)).encoder().imageSize();
    }
  }

  /** Reports what a source holds. */
  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = {
        "Read a data source once and report what it holds.",
        "Decodes every image and reports the source's format, record and image counts, unreadable"
            + " records with reasons, and a few examples. PATH is a folder of tar shards, a .tar or"
            + " .tar.gz, a brace pattern of shards (shard-{000000..000099}.tar), a .jsonl or"
            + " .jsonl.gz (text, interleaved, OBELICS, MMC4), a COCO, Karpathy or VQA .json, or"
            + " 'world'. Nothing is written."
      })
  static final class Inspect implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Option(
        names = "--images",
        paramLabel = "DIR",
        description = "The image folder of a COCO, Karpathy, VQA or MMC4 file.")
    Path images;

    @Option(
        names = "--samples",
        defaultValue = "3",
        description = "Examples to show (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(
        names = "--config",
        paramLabel = "RUN.conf",
        description = "For 'world': the run file whose world to show.")
    Path config;

    @Override
    public void run() {
      DataInspection.Report report =
          path.equals("world")
              ? DataInspection.inspectWorld(world(spec, config, List.of()), samples)
              : DataInspection.inspect(path, images, samples);
      PrintWriter out = spec.commandLine().getOut();
      out.println(path + ": " + report.format());
      out.printf(
          "  records: %d, images: %d, unreadable: %d%n",
          report.records(), report.images(), report.bad());
      out.println("  examples:");
      for (String example : report.examples()) {
        out.println("    " + example);
      }
      if (!report.badReasons().isEmpty()) {
        out.println("  unreadable (first " + report.badReasons().size() + "):");
        for (String reason : report.badReasons()) {
          out.println("    " + reason);
        }
      }
      if (!report.conversions().isEmpty()) {
        out.println("  converted while decoding:");
        for (String line : report.conversions()) {
          out.println("    " + line);
        }
      }
    }
  }
}
