package org.mm1lab.plugins.decoders;

import java.util.List;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.DecoderContract;

/** The built-in dense decoder passes the third-party decoder contract. */
class DenseDecoderContractTest extends DecoderContract {

  @Override
  protected DecoderFactory factory() {
    return new DenseDecoderFactory();
  }

  @Override
  protected String options() {
    return "width = 16, layers = 2, heads = 4, kv-heads = 2, ffn = 24";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(
        BadOption.of("heads", "3", "is not divisible by 3 heads"),
        BadOption.of("kv-heads", "3", "do not divide"),
        BadOption.of("norm-eps", "0"));
  }
}
