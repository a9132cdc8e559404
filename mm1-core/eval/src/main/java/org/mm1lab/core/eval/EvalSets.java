package org.mm1lab.core.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.formats.CocoCaptionSource;
import org.mm1lab.core.data.formats.EvalStream;
import org.mm1lab.core.data.formats.KarpathySplitSource;
import org.mm1lab.core.data.formats.TextTaskJsonlReader;
import org.mm1lab.core.data.formats.VqaReader;
import org.mm1lab.core.sources.DataSources;
import org.mm1lab.core.world.SyntheticWorld;

/**
 * Each task's evaluation items and the separate split its in-context examples come from: the
 * synthetic world's held-out sets, or files in the COCO, VQA and text-task JSON Lines layouts.
 * Items are read when asked for, the first {@code count} of a set, in file order.
 */
public final class EvalSets {

  /** One task's two splits. */
  public interface TaskSet {

    /** The first {@code count} evaluation items (fewer when the set is smaller). */
    List<EvalItem> items(int count);

    /** The first {@code count} in-context examples (fewer when the split is smaller). */
    List<EvalItem> shots(int count);
  }

  private final Map<String, TaskSet> sets;

  /**
   * @param sets each task's splits, by task name
   */
  public EvalSets(Map<String, TaskSet> sets) {
    this.sets = Map.copyOf(sets);
  }

  /**
   * Opens the configured sets: the world's for {@code format = world}, readers over files otherwise
   * (paths relative to the working directory).
   *
   * @param settings which set each task reads
   * @param data the world's seed and settings, and the tolerated share of bad records
   * @throws UserException for a file that does not exist
   */
  public static EvalSets open(EvalSettings settings, DataSettings data) {
    Map<String, TaskSet> sets = new LinkedHashMap<>();
    SyntheticWorld world = null;
    for (EvalSettings.SetSpec spec : settings.sets().values()) {
      if (spec.isWorld()) {
        if (world == null) {
          world = DataSources.world(data);
        }
        sets.put(spec.task(), world(world, spec.task()));
      } else {
        sets.put(spec.task(), files(spec, data.maxBadFraction()));
      }
    }
    return new EvalSets(sets);
  }

  /** Sets held in memory, for tests and callers that build their own items. */
  public static EvalSets of(Map<String, List<EvalItem>> items, Map<String, List<EvalItem>> shots) {
    Map<String, TaskSet> sets = new LinkedHashMap<>();
    for (Map.Entry<String, List<EvalItem>> entry : items.entrySet()) {
      List<EvalItem> taskItems = List.copyOf(entry.getValue());
      List<EvalItem> taskShots = List.copyOf(shots.getOrDefault(entry.getKey(), List.of()));
      sets.put(
          entry.getKey(),
          new TaskSet() {
            @Override
            public List<EvalItem> items(int count) {
              return taskItems.subList(0, Math.min(count, taskItems.size()));
            }

            @Override
            public List<EvalItem> shots(int count) {
              return taskShots.subList(0, Math.min(count, taskShots.size()));
            }
          });
    }
    return new EvalSets(sets);
  }

  /** The synthetic world's held-out items and in-context examples of a task. */
  static TaskSet world(SyntheticWorld world, String task) {
    return new TaskSet() {
      @Override
      public List<EvalItem> items(int count) {
        return world.evalSet(task, count);
      }

      @Override
      public List<EvalItem> shots(int count) {
        return world.shotsSet(task, count);
      }
    };
  }

  private static TaskSet files(EvalSettings.SetSpec spec, double maxBad) {
    Map<String, String> o = spec.options();
    String task = spec.task();
    String name = "eval set " + task;
    String shotsName = "shots set " + task;
    Supplier<EvalStream<? extends EvalItem>> items;
    Supplier<EvalStream<? extends EvalItem>> shots = null;
    switch (spec.format()) {
      case "coco" -> {
        CocoCaptionSource source =
            new CocoCaptionSource(name, path(o, "annotations"), path(o, "images"), maxBad);
        items = source::evalItems;
        if (o.containsKey("shots-annotations")) {
          CocoCaptionSource shotSource =
              new CocoCaptionSource(
                  shotsName, path(o, "shots-annotations"), path(o, "shots-images"), maxBad);
          shots = shotSource::evalItems;
        }
      }
      case "karpathy" -> {
        KarpathySplitSource source =
            new KarpathySplitSource(
                name, path(o, "path"), path(o, "images"), o.get("split"), maxBad);
        items = source::evalItems;
        if (o.containsKey("shots-split")) {
          KarpathySplitSource shotSource =
              new KarpathySplitSource(
                  shotsName, path(o, "path"), path(o, "images"), o.get("shots-split"), maxBad);
          shots = shotSource::evalItems;
        }
      }
      case "vqa" -> {
        String pattern = o.get("image-pattern");
        VqaReader reader =
            new VqaReader(
                name,
                path(o, "questions"),
                path(o, "annotations"),
                path(o, "images"),
                pattern,
                maxBad);
        items = reader::open;
        if (o.containsKey("shots-questions")) {
          VqaReader shotReader =
              new VqaReader(
                  shotsName,
                  path(o, "shots-questions"),
                  path(o, "shots-annotations"),
                  path(o, "shots-images"),
                  pattern,
                  maxBad);
          shots = shotReader::open;
        }
      }
      case "jsonl-text-tasks" -> {
        TextTaskJsonlReader reader = new TextTaskJsonlReader(name, path(o, "path"), maxBad);
        items = reader::open;
        if (o.containsKey("shots-path")) {
          TextTaskJsonlReader shotReader =
              new TextTaskJsonlReader(shotsName, path(o, "shots-path"), maxBad);
          shots = shotReader::open;
        }
      }
      default ->
          throw new IllegalStateException("EvalSettings accepted unknown format " + spec.format());
    }
    Supplier<EvalStream<? extends EvalItem>> shotStreams = shots;
    return new TaskSet() {
      @Override
      public List<EvalItem> items(int count) {
        return read(items, count);
      }

      @Override
      public List<EvalItem> shots(int count) {
        if (shotStreams == null) {
          throw new UserException(
              "mm1.eval.sets."
                  + task
                  + ": in-context examples are asked for but no shots-* files"
                  + " are configured");
        }
        return read(shotStreams, count);
      }
    };
  }

  private static Path path(Map<String, String> options, String key) {
    return Path.of(options.get(key));
  }

  /** The first {@code count} items of a fresh pass, which is closed after. */
  private static List<EvalItem> read(Supplier<EvalStream<? extends EvalItem>> open, int count) {
    List<EvalItem> out = new ArrayList<>();
    try (EvalStream<? extends EvalItem> stream = open.get()) {
      while (out.size() < count && stream.hasNext()) {
        out.add(stream.next());
      }
    }
    return out;
  }

  /** The tasks these sets cover. */
  public java.util.Set<String> tasks() {
    return sets.keySet();
  }

  /**
   * The first {@code count} evaluation items of a task.
   *
   * @throws IllegalArgumentException when no set covers the task
   * @throws UserException when a file set is empty or has too many bad items
   */
  public List<EvalItem> items(String task, int count) {
    return set(task).items(count);
  }

  /** The first {@code count} in-context examples of a task. */
  public List<EvalItem> shots(String task, int count) {
    return set(task).shots(count);
  }

  private TaskSet set(String task) {
    TaskSet set = sets.get(task);
    if (set == null) {
      throw new IllegalArgumentException(
          "no evaluation set for task " + task + "; have " + sets.keySet());
    }
    return set;
  }
}
