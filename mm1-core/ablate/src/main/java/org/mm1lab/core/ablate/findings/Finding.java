package org.mm1lab.core.ablate.findings;

import java.util.List;
import java.util.Objects;

/**
 * One finding of the MM1 paper as a findings file states it: what the paper claimed, which grid
 * measures it and how ({@link Claim}), and, where a person has looked into a result that did not
 * reproduce, what they found.
 *
 * @param id a short name, safe in a file name (its chart is {@code <id>.png})
 * @param title a heading, e.g. {@code Image resolution}
 * @param grid the ablation's name (its {@code ablation.json} name) the finding is measured on
 * @param paper what the paper claimed
 * @param claim how it is measured and what the paper found
 * @param investigation Markdown written by a person about the result; empty when there is none
 */
public record Finding(
    String id, String title, String grid, Paper paper, Claim claim, String investigation) {

  /** Checks the fields. */
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(paper, "paper");
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(investigation, "investigation");
  }

  /**
   * What the paper says.
   *
   * @param source where, e.g. {@code Table 1} or {@code Section 3.2, Figure 4}; may be empty
   * @param claim the claim in the paper's words
   * @param numbers the paper's numbers, briefly (the summary table's "paper" column)
   */
  public record Paper(String source, String claim, String numbers) {}

  /** How a finding is measured and what the paper found. */
  public sealed interface Claim permits Contrast, Ordering, Rank {}

  /** What the paper found for a contrast of two sides. */
  public enum Expect {
    /** Side a scores higher than side b. */
    A_HIGHER("a-higher"),
    /** The two sides hardly differ, compared with the effects named in {@code compared-to}. */
    LITTLE_EFFECT("little-effect");

    private final String label;

    Expect(String label) {
      this.label = label;
    }

    /** The name in a findings file. */
    public String label() {
      return label;
    }
  }

  /**
   * Side a against side b: the per-seed difference of their values (each side's value for a seed is
   * the mean over its variants), with its 95% interval.
   *
   * @param a the side the paper found higher (or, for little-effect, either side)
   * @param b the other side
   * @param measure what is compared and at which shot counts
   * @param expect what the paper found
   * @param comparedTo for little-effect: the ids of contrasts on the same grid whose effects this
   *     one should be small against; empty otherwise
   */
  public record Contrast(
      Selection a, Selection b, Measure measure, Expect expect, List<String> comparedTo)
      implements Claim {
    /** Copies the list. */
    public Contrast {
      comparedTo = List.copyOf(comparedTo);
    }
  }

  /**
   * The paper's order of several effects, largest first: each a contrast (expected a-higher) on the
   * same grid with the same measure; checked at the shot counts they all have.
   *
   * @param findings the contrasts' ids, the largest effect first
   */
  public record Ordering(List<String> findings) implements Claim {
    /** Copies the list. */
    public Ordering {
      findings = List.copyOf(findings);
    }
  }

  /**
   * A variant's rank among others by mean, and whether any is ahead of it beyond noise.
   *
   * @param variant the variant the paper recommends
   * @param among the variants it is ranked among (itself included); empty for all of the grid's
   * @param measure what is compared and at which shot counts
   */
  public record Rank(String variant, List<String> among, Measure measure) implements Claim {
    /** Copies the list. */
    public Rank {
      among = List.copyOf(among);
    }
  }
}
