package org.mm1lab.core.ablate.findings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.ablate.AblationFolder;
import org.mm1lab.core.ablate.AblationResults;
import org.mm1lab.core.ablate.AblationTiming;
import org.mm1lab.core.ablate.Comparison;
import org.mm1lab.core.io.AtomicFiles;

/**
 * Writes the findings document: reads the findings file and the ablation folders (each known by its
 * {@code ablation.json} name), measures every finding, and writes a chart per measured finding into
 * the folder beside the document named after it ({@code docs/findings/<id>.png} for {@code
 * docs/findings.md}), then the document. Everything is read and checked before anything is written,
 * and every file is written atomically, the document last.
 */
public final class FindingsDocument {

  private FindingsDocument() {}

  /**
   * What was written.
   *
   * @param document the document
   * @param charts the charts, by finding id
   * @param results the measured findings
   * @param warnings lines for the user: folders no finding uses, unreadable timing records,
   *     findings that did not reproduce and have no investigation
   */
  public record Written(
      Path document,
      Map<String, Path> charts,
      List<FindingResult> results,
      List<String> warnings) {}

  /**
   * Writes the document.
   *
   * @param specFile the findings file
   * @param dirs the ablation folders
   * @param out the document to write, e.g. {@code docs/findings.md}
   * @throws UserException for a bad findings file, a folder that is no ablation folder, two folders
   *     of the same grid, or a document that cannot be written
   */
  public static Written write(Path specFile, List<Path> dirs, Path out) {
    if (Files.isDirectory(out)) {
      throw new UserException("--out " + out + " is a folder; name the Markdown file to write");
    }
    FindingsSpec spec = FindingsReader.read(specFile);
    List<String> warnings = new ArrayList<>();
    Map<String, MeasuredGrid> grids = new LinkedHashMap<>();
    Map<String, Path> given = new LinkedHashMap<>();
    for (Path dir : dirs) {
      AblationFolder folder = new AblationFolder(dir);
      Comparison comparison = new Comparison(AblationResults.read(folder));
      String name = comparison.plan().name();
      if (given.containsKey(name)) {
        throw new UserException(
            given.get(name)
                + " and "
                + dir
                + " both hold grid "
                + name
                + " (their ablation.json name); give one of them");
      }
      given.put(name, dir);
      if (!spec.grids().containsKey(name)) {
        warnings.add(
            dir + " holds grid " + name + ", which " + specFile + " does not name; it is left out");
        continue;
      }
      AblationTiming timing;
      String problem = "";
      try {
        timing = AblationTiming.read(folder.timing());
      } catch (UserException e) {
        timing = new AblationTiming(List.of());
        problem = e.getMessage();
        warnings.add("the wall time of grid " + name + " is not known: " + problem);
      }
      grids.put(name, new MeasuredGrid(folder, comparison, timing, problem));
    }
    List<FindingResult> results = FindingsEvaluation.evaluate(spec, grids);
    for (FindingResult r : results) {
      if (r.needsInvestigation() && r.finding().investigation().isEmpty()) {
        warnings.add(
            "finding "
                + r.finding().id()
                + " did not reproduce ("
                + String.join(", ", FindingsMarkdown.notReproduced(r))
                + ") and "
                + specFile
                + " has no investigation for it; the document says 'investigation pending'");
      }
    }
    Path document = out.toAbsolutePath().normalize();
    Path folder = document.resolveSibling(stem(document));
    Path cwd = Path.of("").toAbsolutePath();
    try {
      Map<String, Path> charts = FindingsCharts.write(results, folder);
      Map<String, String> links = new LinkedHashMap<>();
      charts.forEach(
          (id, file) ->
              links.put(id, document.getParent().relativize(file).toString().replace('\\', '/')));
      Files.createDirectories(document.getParent());
      AtomicFiles.writeString(document, FindingsMarkdown.render(spec, results, grids, links, cwd));
      return new Written(document, charts, results, warnings);
    } catch (IOException e) {
      throw new UserException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  /** {@code findings} for {@code findings.md}: the charts' folder beside the document. */
  private static String stem(Path document) {
    String name = document.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name + "-charts";
  }
}
