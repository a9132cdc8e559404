package org.mm1lab.core.assembly;

import java.util.Objects;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.VLConnector;

/**
 * The components a run selected, built and checked to fit together, not yet initialised.
 *
 * @param encoder pixels to patch features
 * @param connector patch features to image tokens
 * @param decoder the language model
 * @param mixer which data source each example comes from
 */
public record Components(
    ImageEncoder encoder, VLConnector connector, Decoder decoder, DataMixer mixer) {

  public Components {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(mixer, "mixer");
  }
}
