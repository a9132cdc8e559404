package org.mm1lab.core.ablate.findings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.ablate.AblationGrid;
import org.mm1lab.core.ablate.AblationPlan;
import org.mm1lab.core.ablate.GridAxis;
import org.mm1lab.core.ablate.GridExpansion;
import org.mm1lab.core.ablate.GridReader;
import org.mm1lab.core.ablate.VariantNames;
import org.mm1lab.core.config.HoconFiles;
import org.mm1lab.core.config.Origins;
import org.mm1lab.core.world.SyntheticWorld;

/**
 * Reads a findings file (HOCON) strictly: unknown keys, values of the wrong kind, unknown grids,
 * variants, axes, levels, tasks and findings are errors, all reported at once, one line each with
 * {@code file:line}.
 *
 * <pre>
 * grids = [encoders.conf, connectors.conf]     # grid files, relative to this file; each is
 *                                             # known by its ablation.name
 * findings = [
 *   {
 *     id = encoder-resolution                 # letters, digits, '.', '+', '-'; the chart's name
 *     title = "Image resolution"
 *     grid = encoders                         # the ablation's name
 *     paper {
 *       source = "Section 3.1, Table 1"       # optional
 *       claim = "..."                         # in the paper's words
 *       numbers = "224 to 336 px: about +3"   # briefly, for the summary table
 *     }
 *     kind = contrast                         # the default; or ordering, rank
 *     a = res-128                             # a variant, or { axis = level, ... }: every
 *     b = baseline                            #   variant at those levels (mean over the rest)
 *     measure = [caption, vqa]                # average (every task), a task, or a list of tasks
 *     shots = [0, 4, 8]                       # one row each
 *     expect = a-higher                       # or little-effect, with
 *     # compared-to = [connector-tokens]      #   the contrasts it should be small against
 *     investigation = """..."""               # optional Markdown, or investigation-file = "x.md"
 *   }
 *   { id = ..., kind = ordering, grid = encoders, paper { ... }, order = [id1, id2, id3] }
 *   { id = ..., kind = rank, grid = data, paper { ... }, variant = final-45-45-10,
 *     measure = average, shots = [0, 4] }    # among = [...]: default every variant
 * ]
 * </pre>
 */
public final class FindingsReader {

  private static final List<String> TOP_KEYS = List.of("grids", "findings");
  private static final List<String> COMMON_KEYS =
      List.of("id", "title", "grid", "kind", "paper", "investigation", "investigation-file");
  private static final Map<String, List<String>> KIND_KEYS =
      Map.of(
          "contrast", List.of("a", "b", "measure", "shots", "expect", "compared-to"),
          "ordering", List.of("order"),
          "rank", List.of("variant", "among", "measure", "shots"));
  private static final List<String> KINDS = List.of("contrast", "ordering", "rank");
  private static final List<String> PAPER_KEYS = List.of("source", "claim", "numbers");
  private static final String AVERAGE = "average";

  private final Path file;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, AblationGrid> grids = new LinkedHashMap<>();
  private final Map<String, AblationPlan> plans = new HashMap<>();

  /** Where each finding was written, for problems found after all are read. */
  private final Map<String, ConfigObject> sources = new HashMap<>();

  /** Each finding's place in the list, {@code findings[i]}, for the same. */
  private final Map<String, String> places = new HashMap<>();

  private FindingsReader(Path file) {
    this.file = file;
  }

  /**
   * Reads and checks a findings file and the grid files it names.
   *
   * @throws UserException listing every problem found
   */
  public static FindingsSpec read(Path file) {
    return new FindingsReader(file).parse();
  }

  private FindingsSpec parse() {
    Config raw;
    try {
      raw = HoconFiles.parse(file, "findings file").resolve();
    } catch (ConfigException e) {
      throw new UserException(e.getMessage(), e);
    }
    ConfigObject root = raw.root();
    for (Map.Entry<String, ConfigValue> e : root.entrySet()) {
      if (!TOP_KEYS.contains(e.getKey())) {
        problem(e.getKey(), e.getValue(), "unknown key" + hint(e.getKey(), TOP_KEYS));
      }
    }
    grids(root.get("grids"));
    List<Finding> findings = new ArrayList<>();
    ConfigValue list = root.get("findings");
    if (list == null) {
      problems.add(file + ": findings is missing; list them as findings = [ { id = ..., ... } ]");
    } else if (list.valueType() != ConfigValueType.LIST) {
      problem("findings", list, "expected a list of findings, [ { id = ..., ... } ]");
    } else {
      Set<String> ids = new HashSet<>();
      ConfigList entries = (ConfigList) list;
      for (int i = 0; i < entries.size(); i++) {
        String where = "findings[" + i + "]";
        ConfigValue value = entries.get(i);
        if (value.valueType() != ConfigValueType.OBJECT) {
          problem(where, value, "expected a finding { id = ..., ... }");
          continue;
        }
        Finding f = finding(where, (ConfigObject) value);
        if (f == null) {
          continue;
        }
        if (!ids.add(f.id())) {
          problem(where + ".id", ((ConfigObject) value).get("id"), "a second finding " + f.id());
          continue;
        }
        sources.put(f.id(), (ConfigObject) value);
        places.put(f.id(), where);
        findings.add(f);
      }
      references(findings);
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    return new FindingsSpec(file, grids, findings);
  }

  /** The grid files, each read and checked as {@code mm1 ablate} reads it. */
  private void grids(ConfigValue value) {
    if (value == null) {
      problems.add(file + ": grids is missing; name the grid files, e.g. grids = [encoders.conf]");
      return;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      problem("grids", value, "expected a list of grid files, e.g. [encoders.conf]");
      return;
    }
    Path folder = file.toAbsolutePath().getParent();
    ConfigList list = (ConfigList) value;
    for (int i = 0; i < list.size(); i++) {
      ConfigValue entry = list.get(i);
      String where = "grids[" + i + "]";
      if (entry.valueType() != ConfigValueType.STRING) {
        problem(where, entry, "expected a grid file name, got " + render(entry));
        continue;
      }
      Path gridFile = folder.resolve((String) entry.unwrapped()).normalize();
      AblationGrid grid;
      try {
        grid = GridReader.read(gridFile);
      } catch (UserException e) {
        for (String p : e.problems()) {
          problem(where, entry, p);
        }
        continue;
      }
      if (grids.containsKey(grid.name())) {
        problem(
            where,
            entry,
            "a second grid named "
                + grid.name()
                + " ("
                + gridFile
                + "); findings name grids by their ablation.name");
        continue;
      }
      try {
        plans.put(grid.name(), AblationPlan.of(grid, GridExpansion.expand(grid)));
        grids.put(grid.name(), grid);
      } catch (UserException e) {
        for (String p : e.problems()) {
          problem(where, entry, p);
        }
      }
    }
  }

  /** One finding; null when it has a problem that stops the others from being checked. */
  private Finding finding(String where, ConfigObject o) {
    String kind = string(o, "kind", where, false);
    if (kind == null) {
      kind = "contrast";
    } else if (!KINDS.contains(kind)) {
      problem(
          where + ".kind",
          o.get("kind"),
          "unknown kind " + kind + hint(kind, KINDS) + "; kinds: " + String.join(", ", KINDS));
      return null;
    }
    List<String> known = new ArrayList<>(COMMON_KEYS);
    known.addAll(KIND_KEYS.get(kind));
    for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
      if (!known.contains(e.getKey())) {
        problem(
            where + "." + e.getKey(),
            e.getValue(),
            "unknown key for a "
                + kind
                + " finding"
                + hint(e.getKey(), known)
                + "; known: "
                + String.join(", ", known));
      }
    }
    String id = string(o, "id", where, true);
    if (id != null && !VariantNames.SAFE.matcher(id).matches()) {
      problem(
          where + ".id",
          o.get("id"),
          "'" + id + "' is no file name; use letters, digits, '.', '+', '-'");
      id = null;
    }
    String title = string(o, "title", where, true);
    Finding.Paper paper = paper(where, o);
    String investigation = investigation(where, o);
    String gridName = string(o, "grid", where, true);
    AblationGrid grid = null;
    if (gridName != null) {
      grid = grids.get(gridName);
      if (grid == null) {
        problem(
            where + ".grid",
            o.get("grid"),
            "no grid named "
                + gridName
                + hint(gridName, grids.keySet())
                + "; grids: "
                + String.join(", ", grids.keySet()));
      }
    }
    Finding.Claim claim = null;
    if (grid != null) {
      AblationPlan plan = plans.get(gridName);
      claim =
          switch (kind) {
            case "ordering" -> ordering(where, o);
            case "rank" -> rank(where, o, grid, plan);
            default -> contrast(where, o, grid, plan);
          };
    }
    if (id == null || title == null || paper == null || investigation == null || claim == null) {
      return null;
    }
    return new Finding(id, title, gridName, paper, claim, investigation);
  }

  private Finding.Paper paper(String where, ConfigObject o) {
    ConfigValue value = o.get("paper");
    if (value == null) {
      problem(where, o, "paper is missing: paper { claim = \"...\", numbers = \"...\" }");
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(where + ".paper", value, "expected { source = ..., claim = ..., numbers = ... }");
      return null;
    }
    ConfigObject paper = (ConfigObject) value;
    for (Map.Entry<String, ConfigValue> e : paper.entrySet()) {
      if (!PAPER_KEYS.contains(e.getKey())) {
        problem(
            where + ".paper." + e.getKey(),
            e.getValue(),
            "unknown key"
                + hint(e.getKey(), PAPER_KEYS)
                + "; known: "
                + String.join(", ", PAPER_KEYS));
      }
    }
    String source = string(paper, "source", where + ".paper", false);
    String claim = string(paper, "claim", where + ".paper", true);
    String numbers = string(paper, "numbers", where + ".paper", true);
    return claim == null || numbers == null
        ? null
        : new Finding.Paper(source == null ? "" : source, claim, numbers);
  }

  /** The investigation's text; empty for none; null after a problem. */
  private String investigation(String where, ConfigObject o) {
    String text = string(o, "investigation", where, false);
    String name = string(o, "investigation-file", where, false);
    if (text != null && name != null) {
      problem(
          where + ".investigation-file",
          o.get("investigation-file"),
          "give investigation or investigation-file, not both");
      return null;
    }
    if (name == null) {
      return text == null ? "" : text.strip();
    }
    Path notes = file.toAbsolutePath().getParent().resolve(name).normalize();
    try {
      return Files.readString(notes, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      problem(
          where + ".investigation-file",
          o.get("investigation-file"),
          "cannot read " + notes + ": " + e.getMessage());
      return null;
    }
  }

  private Finding.Contrast contrast(
      String where, ConfigObject o, AblationGrid grid, AblationPlan plan) {
    Selection a = selection(where + ".a", o, "a", grid, plan);
    Selection b = selection(where + ".b", o, "b", grid, plan);
    Measure measure = measure(where, o);
    String expectText = string(o, "expect", where, true);
    Finding.Expect expect = null;
    if (expectText != null) {
      for (Finding.Expect e : Finding.Expect.values()) {
        if (e.label().equals(expectText)) {
          expect = e;
        }
      }
      if (expect == null) {
        List<String> labels = List.of("a-higher", "little-effect");
        problem(
            where + ".expect",
            o.get("expect"),
            "unknown expectation "
                + expectText
                + hint(expectText, labels)
                + "; give a-higher (the paper found a above b) or little-effect");
      }
    }
    List<String> comparedTo = strings(where + ".compared-to", o.get("compared-to"));
    if (o.get("compared-to") != null && expect == Finding.Expect.A_HIGHER) {
      problem(
          where + ".compared-to",
          o.get("compared-to"),
          "compared-to goes with expect = little-effect");
    }
    if (a != null && b != null) {
      List<String> both = new ArrayList<>(a.groups(plan));
      both.retainAll(b.groups(plan));
      if (!both.isEmpty()) {
        problem(
            where + ".b",
            o.get("b"),
            "a and b both take " + String.join(", ", both) + "; the sides must not overlap");
        return null;
      }
    }
    if (a == null || b == null || measure == null || expect == null || comparedTo == null) {
      return null;
    }
    return new Finding.Contrast(a, b, measure, expect, comparedTo);
  }

  private Finding.Ordering ordering(String where, ConfigObject o) {
    List<String> order = strings(where + ".order", o.get("order"));
    if (order == null) {
      return null;
    }
    if (order.size() < 2) {
      problem(
          where + ".order",
          o.get("order") == null ? o : o.get("order"),
          "name at least two contrasts, the largest effect first");
      return null;
    }
    return new Finding.Ordering(order);
  }

  private Finding.Rank rank(String where, ConfigObject o, AblationGrid grid, AblationPlan plan) {
    String variant = string(o, "variant", where, true);
    if (variant != null && !variant(where + ".variant", o.get("variant"), variant, grid, plan)) {
      variant = null;
    }
    List<String> among = List.of();
    if (o.get("among") != null) {
      among = strings(where + ".among", o.get("among"));
      if (among != null) {
        for (String name : among) {
          if (!variant(where + ".among", o.get("among"), name, grid, plan)) {
            among = null;
            break;
          }
        }
      }
    }
    Measure measure = measure(where, o);
    if (variant == null || among == null || measure == null) {
      return null;
    }
    return new Finding.Rank(variant, among, measure);
  }

  /** Checks that the grid has a variant of this name. */
  private boolean variant(
      String where, ConfigValue value, String name, AblationGrid grid, AblationPlan plan) {
    if (plan.groups().contains(name)) {
      return true;
    }
    problem(
        where,
        value,
        "grid "
            + grid.name()
            + " has no variant "
            + name
            + hint(name, plan.groups())
            + "; variants: "
            + String.join(", ", plan.groups()));
    return false;
  }

  private Selection selection(
      String where, ConfigObject o, String key, AblationGrid grid, AblationPlan plan) {
    ConfigValue value = o.get(key);
    if (value == null) {
      problem(where, o, key + " is missing: a variant name, or { axis = level, ... }");
      return null;
    }
    if (value.valueType() == ConfigValueType.STRING) {
      String name = (String) value.unwrapped();
      return variant(where, value, name, grid, plan) ? Selection.of(name) : null;
    }
    if (value.valueType() != ConfigValueType.OBJECT || ((ConfigObject) value).isEmpty()) {
      problem(where, value, "expected a variant name, or { axis = level, ... }");
      return null;
    }
    Map<String, String> levels = new LinkedHashMap<>();
    List<String> labels = grid.axes().stream().map(GridAxis::label).toList();
    boolean ok = true;
    for (Map.Entry<String, ConfigValue> e : GridReader.inOrder((ConfigObject) value)) {
      GridAxis axis =
          grid.axes().stream().filter(x -> x.label().equals(e.getKey())).findFirst().orElse(null);
      if (axis == null) {
        problem(
            where + "." + e.getKey(),
            e.getValue(),
            "grid "
                + grid.name()
                + " has no axis "
                + e.getKey()
                + hint(e.getKey(), labels)
                + "; axes: "
                + (labels.isEmpty() ? "none (name a variant instead)" : String.join(", ", labels)));
        ok = false;
        continue;
      }
      String level = VariantNames.levelLabel(e.getValue());
      if (!axis.levelLabels().contains(level)) {
        problem(
            where + "." + e.getKey(),
            e.getValue(),
            "axis "
                + axis.label()
                + " of grid "
                + grid.name()
                + " has no level "
                + level
                + hint(level, axis.levelLabels())
                + "; levels: "
                + String.join(", ", axis.levelLabels()));
        ok = false;
        continue;
      }
      levels.put(axis.label(), level);
    }
    return ok ? Selection.at(levels) : null;
  }

  private Measure measure(String where, ConfigObject o) {
    ConfigValue value = o.get("measure");
    List<String> tasks = new ArrayList<>();
    boolean ok = true;
    if (value == null) {
      problem(where, o, "measure is missing: average, a task, or a list of tasks");
      ok = false;
    } else if (value.valueType() == ConfigValueType.STRING) {
      String name = (String) value.unwrapped();
      if (!name.equals(AVERAGE)) {
        ok = task(where + ".measure", value, name);
        tasks.add(name);
      }
    } else if (value.valueType() == ConfigValueType.LIST && !((ConfigList) value).isEmpty()) {
      for (ConfigValue v : (ConfigList) value) {
        if (v.valueType() != ConfigValueType.STRING) {
          problem(where + ".measure", v, "expected a task name, got " + render(v));
          ok = false;
        } else if (tasks.contains((String) v.unwrapped())) {
          problem(where + ".measure", v, "task " + v.unwrapped() + " is listed twice");
          ok = false;
        } else {
          ok &= task(where + ".measure", v, (String) v.unwrapped());
          tasks.add((String) v.unwrapped());
        }
      }
    } else {
      problem(where + ".measure", value, "expected average, a task, or a list of tasks");
      ok = false;
    }
    List<Integer> shots = new ArrayList<>();
    ConfigValue shotsValue = o.get("shots");
    if (shotsValue == null) {
      problem(where, o, "shots is missing, e.g. shots = [0, 4, 8]");
      ok = false;
    } else if (shotsValue.valueType() != ConfigValueType.LIST
        || ((ConfigList) shotsValue).isEmpty()) {
      problem(where + ".shots", shotsValue, "expected a list of shot counts, e.g. [0, 4, 8]");
      ok = false;
    } else {
      for (ConfigValue v : (ConfigList) shotsValue) {
        Object n = v.unwrapped();
        if (!(n instanceof Integer count) || count < 0) {
          problem(where + ".shots", v, "expected a shot count (0 or more), got " + render(v));
          ok = false;
        } else if (shots.contains(count)) {
          problem(where + ".shots", v, count + " shots is listed twice");
          ok = false;
        } else {
          shots.add(count);
        }
      }
    }
    return ok ? new Measure(tasks, shots) : null;
  }

  /** Checks a task name: one mm1 evaluates, or a break-down row of one ({@code text-core/x}). */
  private boolean task(String where, ConfigValue value, String name) {
    String task = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    if (SyntheticWorld.TASKS.contains(task)) {
      return true;
    }
    List<String> known = new ArrayList<>(SyntheticWorld.TASKS);
    known.add(AVERAGE);
    problem(
        where,
        value,
        "unknown task " + name + hint(name, known) + "; give " + String.join(", ", known));
    return false;
  }

  /**
   * The references between findings, checked once all are read: a little-effect contrast's {@code
   * compared-to} and an ordering's {@code order} name a-higher contrasts on the same grid.
   */
  private void references(List<Finding> findings) {
    Map<String, Finding> byId = new LinkedHashMap<>();
    findings.forEach(f -> byId.put(f.id(), f));
    for (Finding f : findings) {
      ConfigObject o = sources.get(f.id());
      String where = places.get(f.id());
      if (f.claim() instanceof Finding.Contrast c) {
        for (String id : c.comparedTo()) {
          reference(where + ".compared-to", o.get("compared-to"), f, id, byId, null);
        }
      } else if (f.claim() instanceof Finding.Ordering ord) {
        Measure first = null;
        Set<String> seen = new HashSet<>();
        for (String id : ord.findings()) {
          if (!seen.add(id)) {
            problem(where + ".order", o.get("order"), id + " is listed twice");
            continue;
          }
          Finding.Contrast c = reference(where + ".order", o.get("order"), f, id, byId, first);
          if (c != null && first == null) {
            first = c.measure();
          }
        }
      }
    }
  }

  /**
   * Checks one reference; the contrast it names when it is fine.
   *
   * @param measure the measure it must share with the others, or null
   */
  private Finding.Contrast reference(
      String where,
      ConfigValue value,
      Finding from,
      String id,
      Map<String, Finding> byId,
      Measure measure) {
    Finding to = byId.get(id);
    if (to == null) {
      problem(
          where,
          value,
          "no finding "
              + id
              + hint(id, byId.keySet())
              + "; findings: "
              + String.join(", ", byId.keySet()));
      return null;
    }
    if (to.id().equals(from.id())
        || !(to.claim() instanceof Finding.Contrast c)
        || c.expect() != Finding.Expect.A_HIGHER) {
      problem(where, value, id + " is no other contrast with expect = a-higher");
      return null;
    }
    if (!to.grid().equals(from.grid())) {
      problem(where, value, id + " is measured on grid " + to.grid() + ", not " + from.grid());
      return null;
    }
    if (measure != null && !measure.tasks().equals(c.measure().tasks())) {
      problem(
          where,
          value,
          id
              + " measures "
              + c.measure().label()
              + ", the first "
              + measure.label()
              + "; give one");
      return null;
    }
    return c;
  }

  private List<String> strings(String where, ConfigValue value) {
    if (value == null) {
      return List.of();
    }
    if (value.valueType() != ConfigValueType.LIST) {
      problem(where, value, "expected a list of names, got " + render(value));
      return null;
    }
    List<String> values = new ArrayList<>();
    for (ConfigValue v : (ConfigList) value) {
      if (v.valueType() != ConfigValueType.STRING) {
        problem(where, v, "expected a name, got " + render(v));
        return null;
      }
      values.add((String) v.unwrapped());
    }
    return values;
  }

  /** A text value; null when absent (a problem if required) or not text (a problem). */
  private String string(ConfigObject o, String key, String where, boolean required) {
    ConfigValue value = o.get(key);
    if (value == null) {
      if (required) {
        problem(where, o, key + " is missing");
      }
      return null;
    }
    if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isBlank()) {
      problem(where + "." + key, value, "expected text, got " + render(value));
      return null;
    }
    return (String) value.unwrapped();
  }

  private void problem(String path, ConfigValue value, String message) {
    String at = value == null ? file.toString() : Origins.describe(value.origin());
    problems.add(path + " (" + at + "): " + message);
  }

  private static String hint(String word, java.util.Collection<String> candidates) {
    Optional<String> closest = Suggestions.closest(word, candidates);
    return closest.map(s -> "; did you mean " + s + "?").orElse("");
  }

  private static String render(ConfigValue value) {
    return value.render(ConfigRenderOptions.concise());
  }
}
