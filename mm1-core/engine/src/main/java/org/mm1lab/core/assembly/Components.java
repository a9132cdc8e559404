package org.mm1lab.core.assembly;

import java.util.Objects;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.VLConnector;
import org.mm1lab.core.data.Tokenizer;

/**
 * The components a run selected, built and checked to fit together, not yet initialised.
 *
 * @param encoder pixels to patch features
 * @param connector patch features to image tokens
 * @param decoder the language model
 * @param mixer which data source each example comes from
 * @param tokenizer the run's tokenizer, loaded once by the assembly (its vocabulary sizes the
 *     decoder)
 */
public record Components(
    ImageEncoder encoder,
    VLConnector connector,
    Decoder decoder,
    DataMixer mixer,
    Tokenizer tokenizer) {

  public Components {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(mixer, "mixer");
    Objects.requireNonNull(tokenizer, "tokenizer");
  }
}
