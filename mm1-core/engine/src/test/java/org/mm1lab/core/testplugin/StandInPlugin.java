package org.mm1lab.core.testplugin;

import java.util.List;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.api.VLConnectorFactory;

/**
 * Small real components, one per family, found only on the test class path: they let the core's
 * tests (and the CLI's) exercise discovery, strict configuration and assembly without depending on
 * the built-in plugins. Their defaults are in the test {@code reference.conf}.
 */
public final class StandInPlugin implements Mm1Plugin {

  @Override
  public String apiVersion() {
    return Mm1Api.VERSION;
  }

  @Override
  public List<ImageEncoderFactory> imageEncoders() {
    return List.of(new StandInEncoder.Factory());
  }

  @Override
  public List<VLConnectorFactory> connectors() {
    return List.of(new StandInConnector.Factory());
  }

  @Override
  public List<DecoderFactory> decoders() {
    return List.of(new StandInDecoder.Factory());
  }

  @Override
  public List<DataMixerFactory> dataMixers() {
    return List.of(new StandInMixer.Factory());
  }
}
