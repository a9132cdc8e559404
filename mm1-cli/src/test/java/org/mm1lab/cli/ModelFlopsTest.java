package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.bench.ModelFlops;
import org.mm1lab.core.config.RunConfig;

/**
 * The bench's model FLOPs for {@code examples/bench/small.conf} against the formulas worked out by
 * hand (the MFU the bench reports is only as good as this count).
 */
class ModelFlopsTest {

  @Test
  void theBenchConfigCountsWhatTheFormulasGiveByHand() {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config = assembly.load(Path.of("..", "examples", "bench", "small.conf"), List.of());
    Components components = assembly.assemble(config);
    ModelFlops flops = ModelFlops.of(config, components, 256, Map.of());

    // decoder D 384, 6 layers, 6 heads of 64 (kv 6), F 1024, L 256, per layer:
    //   projections 2 (4 * 384 * 384) = 1,179,648; scores 4 * 256 * 384 = 393,216;
    //   SwiGLU 6 * 384 * 1024 = 2,359,296; sum 3,932,160, times 6 layers:
    assertEquals(23_592_960, flops.decoderPerPosition(), 0.5);
    int vocabulary = components.decoder().vocabularySize();
    assertEquals(2.0 * 384 * vocabulary, flops.headPerTarget(), 0.5);
    // ViT N 196 patches of 16 x 16, C 192, M 768, 6 layers:
    //   patches 2 * 196 * 768 * 192 = 57,802,752; per layer 8 N C^2 + 4 N^2 C + 4 N C M
    //   = 57,802,752 + 29,503,488 + 115,605,504 = 202,911,744
    assertEquals(57_802_752 + 6 * 202_911_744.0, flops.encoderPerImage(), 0.5);
    assertEquals("", flops.approximate());

    // a step: every position through the body, the head only where a target is, 3 passes
    double step = flops.training(2048, 300, 18);
    double forward =
        2048 * flops.decoderPerPosition()
            + 300 * flops.headPerTarget()
            + 18 * (flops.encoderPerImage() + flops.connectorPerImage());
    assertEquals(3 * forward, step, 1e-6 * step);
    assertEquals(
        2048 * flops.decoderPerPosition() + 300 * flops.headPerTarget(),
        flops.decoder(2048, 300),
        1);
  }
}
