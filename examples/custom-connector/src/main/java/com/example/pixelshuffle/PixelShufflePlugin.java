package com.example.pixelshuffle;

import java.util.List;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.api.VLConnectorFactory;

/** The plugin's entry point, listed in META-INF/services/org.mm1lab.api.Mm1Plugin. */
public final class PixelShufflePlugin implements Mm1Plugin {

  @Override
  public String apiVersion() {
    // A compile-time constant: this class records the API version it was built against.
    return Mm1Api.VERSION;
  }

  @Override
  public List<VLConnectorFactory> connectors() {
    return List.of(new PixelShuffleConnectorFactory());
  }
}
