package org.mm1lab.core.ablate;

import java.util.List;
import java.util.Objects;

/**
 * A grid's encoder pretraining stages ({@code ablation.pretrain}): every variant pretrains its
 * encoder with {@code mm1 pretrain-encoder} first and its run loads the result. Variants whose
 * encoder, pretraining and data settings come out the same share one stage (see {@link
 * EncoderStages}).
 *
 * @param settings {@code mm1.pretrain.*} overrides common to every stage, applied first: the grid's
 *     {@code set} (and {@code --set}), axes and variants may override them
 * @param seeds how a stage is seeded
 * @param fixedSeed the seed of every stage when {@code seeds} is {@link Seeds#FIXED}, else null
 */
public record GridPretrain(List<GridOverride> settings, Seeds seeds, Long fixedSeed) {

  /** Checks the fields. */
  public GridPretrain {
    settings = List.copyOf(settings);
    Objects.requireNonNull(seeds, "seeds");
    if ((seeds == Seeds.FIXED) != (fixedSeed != null)) {
      throw new IllegalArgumentException("a fixed seed goes with Seeds.FIXED only");
    }
  }

  /** How a stage is seeded. */
  public enum Seeds {
    /**
     * One stage per encoder for all of the grid's seeds, seeded with the {@code mm1.seed} the
     * variant has without the grid's {@code seeds}: the paper pretrains each encoder once, and the
     * spread over seeds then measures the multimodal training alone.
     */
    SHARED,
    /** One stage per encoder and seed: each run's stage takes the run's {@code mm1.seed}. */
    PER_SEED,
    /** One stage per encoder, seeded with a given number. */
    FIXED
  }
}
