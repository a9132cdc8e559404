package org.mm1lab.plugins.decoders;

import java.util.List;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.DecoderContract;

/**
 * The built-in mixture-of-experts decoder passes the third-party decoder contract, its routing
 * included (mixed precision among it: the router's softmax and top-k run in float32).
 */
class MoeDecoderContractTest extends DecoderContract {

  @Override
  protected DecoderFactory factory() {
    return new MoeDecoderFactory();
  }

  @Override
  protected String options() {
    return "width = 16, layers = 2, heads = 4, kv-heads = 2, ffn = 24, experts = 4, top-k = 2,"
        + " every = 1";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(BadOption.of("top-k", "5", "experts"));
  }
}
