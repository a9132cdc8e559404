package com.example.pixelshuffle;

import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/** Builds {@link PixelShuffleConnector}: {@code type = pixel-shuffle}, options factor and hidden. */
public final class PixelShuffleConnectorFactory implements VLConnectorFactory {

  @Override
  public String name() {
    return "pixel-shuffle";
  }

  @Override
  public String description() {
    return "LLaVA-style spatial merge: each factor x factor patch neighbourhood becomes one token"
        + " through a two-layer MLP; T = N / factor^2.";
  }

  @Override
  public VLConnector create(Options options, ConnectorContext context) {
    int factor = options.getInt("factor", 1, 16);
    int hidden = options.getInt("hidden", 0, 1 << 16);
    PatchGrid grid = context.encoderGrid();
    if (grid.height() % factor != 0 || grid.width() % factor != 0) {
      throw options.invalid(
          "factor",
          "the encoder's "
              + grid.height()
              + "x"
              + grid.width()
              + " patch grid is not divisible by "
              + factor
              + "; choose an image-size / patch-size whose grid is a multiple of "
              + factor
              + " (64 px with 8 px patches gives 8x8), or set factor = 1");
    }
    int decoderWidth = context.decoderWidth();
    return new PixelShuffleConnector(grid, factor, hidden == 0 ? decoderWidth : hidden, decoderWidth);
  }
}
