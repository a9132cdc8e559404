package org.mm1lab.core.ablate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * Writes an ablation's comparison from whatever its folder holds (runs made here, or by Slurm or
 * Kubernetes jobs): {@code report/index.html} with its charts, {@code report/comparison.csv} and
 * {@code report.md}. Every file is written atomically, the page last.
 */
public final class AblationReport {

  private AblationReport() {}

  /**
   * Writes the comparison of an ablation folder.
   *
   * @return the path of {@code report/index.html}
   * @throws UserException when the folder is no ablation folder or the report cannot be written
   */
  public static Path write(Path dir) {
    AblationFolder folder = new AblationFolder(dir);
    Comparison comparison = new Comparison(AblationResults.read(folder));
    Path reportDir = folder.reportDir();
    try {
      Files.createDirectories(reportDir);
      List<ComparisonCharts.Chart> charts = ComparisonCharts.write(comparison, reportDir);
      AtomicFiles.writeString(
          reportDir.resolve(Ablation.COMPARISON), ComparisonCsv.render(comparison));
      AtomicFiles.writeString(folder.summary(), ComparisonMarkdown.render(comparison, charts));
      Path index = folder.reportPage();
      AtomicFiles.writeString(
          index,
          ComparisonPage.render(
              comparison, charts, read(folder.gridCopy()), read(folder.baseCopy())));
      return index;
    } catch (IOException e) {
      throw new UserException("cannot write the comparison in " + reportDir + ": " + e, e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.isRegularFile(file)
        ? Files.readString(file, StandardCharsets.UTF_8)
        : "(" + file.getFileName() + " is missing from the ablation folder)";
  }
}
