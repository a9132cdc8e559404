package org.mm1lab.plugins.decoders;

import java.util.List;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;

/**
 * The built-in decoders: {@code dense} ({@link DenseDecoderFactory}) and {@code moe} ({@link
 * MoeDecoderFactory}).
 */
public final class DecodersPlugin implements Mm1Plugin {

  @Override
  public String apiVersion() {
    return Mm1Api.VERSION;
  }

  @Override
  public List<DecoderFactory> decoders() {
    return List.of(new DenseDecoderFactory(), new MoeDecoderFactory());
  }
}
