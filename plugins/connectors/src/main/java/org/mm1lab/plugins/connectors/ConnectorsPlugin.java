package org.mm1lab.plugins.connectors;

import java.util.List;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.api.VLConnectorFactory;

/**
 * The built-in vision-language connectors: the three MM1 compared (average pooling, attention
 * pooling, C-Abstractor) and the two LLaVA projectors users ask for (linear, MLP). Option defaults
 * are in this jar's {@code reference.conf} under {@code mm1-plugin-defaults.connector.<name>}.
 */
public final class ConnectorsPlugin implements Mm1Plugin {

  @Override
  public String apiVersion() {
    return Mm1Api.VERSION;
  }

  @Override
  public List<VLConnectorFactory> connectors() {
    return List.of(
        new LinearConnectorFactory(),
        new MlpConnectorFactory(),
        new AvgPoolConnectorFactory(),
        new AttentionPoolConnectorFactory(),
        new CAbstractorFactory());
  }
}
