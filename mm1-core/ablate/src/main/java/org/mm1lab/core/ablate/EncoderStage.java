package org.mm1lab.core.ablate;

import java.util.List;
import java.util.Objects;

/**
 * One encoder pretraining stage of an ablation: a {@code mm1 pretrain-encoder} run in its own
 * folder {@code stages/<name>/}, whose encoder the runs in {@code runs} load.
 *
 * @param name its name and folder name, e.g. {@code clip-vit_64px_w96_vecap_1a2b3c4d}
 * @param hash the SHA-256 of everything that determines the encoder (see {@link EncoderStages})
 * @param seed the {@code mm1.seed} it pretrains with
 * @param steps its pretraining steps ({@code mm1.pretrain.steps})
 * @param source the data source it pretrains on ({@code mm1.pretrain.source})
 * @param overrides what its run file changes in the base run, as {@code path=value}
 * @param runs the runs that load its encoder, in the order they run
 * @param text its run file, {@code stage.conf}
 */
public record EncoderStage(
    String name,
    String hash,
    long seed,
    int steps,
    String source,
    List<String> overrides,
    List<String> runs,
    String text) {

  /** Checks the fields. */
  public EncoderStage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(source, "source");
    overrides = List.copyOf(overrides);
    runs = List.copyOf(runs);
    Objects.requireNonNull(text, "text");
  }
}
