package org.mm1lab.core.ablate.findings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mm1lab.core.ablate.AblationGrid;

/**
 * A findings file, read and checked ({@link FindingsReader}): the grids it measures on, by name,
 * and the findings in the order written.
 *
 * @param file the findings file
 * @param grids each grid's name to the grid, read from the file it names
 * @param findings the findings, in order
 */
public record FindingsSpec(Path file, Map<String, AblationGrid> grids, List<Finding> findings) {

  /** Copies the collections, keeping their order. */
  public FindingsSpec {
    grids = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grids));
    findings = List.copyOf(findings);
  }

  /** A finding by id. */
  public Optional<Finding> finding(String id) {
    return findings.stream().filter(f -> f.id().equals(id)).findFirst();
  }
}
