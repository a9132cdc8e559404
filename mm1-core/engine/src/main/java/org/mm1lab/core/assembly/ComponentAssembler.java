package org.mm1lab.core.assembly;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mm1lab.api.ComponentFactory;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.Family;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ComponentSlots;
import org.mm1lab.core.config.ConfigErrors;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.Origins;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * Builds the components a run selects, in dependency order (encoder and decoder first, then the
 * connector that must fit between them, then the mixer), and checks that they fit together before
 * anything is allocated. Factories come from Guice map bindings keyed by factory name, so this
 * class knows no plugin.
 */
public final class ComponentAssembler {

  private final Map<String, ImageEncoderFactory> encoders;
  private final Map<String, VLConnectorFactory> connectors;
  private final Map<String, DecoderFactory> decoders;
  private final Map<String, DataMixerFactory> mixers;
  private final RunConfig config;
  private final RunSettings settings;
  private final TrainSettings train;
  private final Tokenizer tokenizer;
  private final DataSettings data;

  @Inject
  ComponentAssembler(
      Map<String, ImageEncoderFactory> encoders,
      Map<String, VLConnectorFactory> connectors,
      Map<String, DecoderFactory> decoders,
      Map<String, DataMixerFactory> mixers,
      RunConfig config,
      RunSettings settings,
      TrainSettings train,
      DataSettings data,
      Tokenizer tokenizer) {
    this.encoders = encoders;
    this.connectors = connectors;
    this.decoders = decoders;
    this.mixers = mixers;
    this.config = config;
    this.settings = settings;
    this.train = train;
    this.tokenizer = tokenizer;
    this.data = data;
  }

  /**
   * Builds and checks every component.
   *
   * @throws UserException with one line per problem, each naming the option to change
   */
  public Components assemble() {
    long seed = settings.seed();
    ImageEncoder encoder = create(Family.ENCODER, encoders, new EncoderContext(seed));
    Decoder decoder =
        create(
            Family.DECODER,
            decoders,
            new DecoderContext(seed, tokenizer.vocabularySize(), train.sequenceLength()));
    VLConnector connector =
        create(
            Family.CONNECTOR,
            connectors,
            new ConnectorContext(seed, encoder.outputGrid(), decoder.width()));
    DataMixer mixer =
        create(Family.MIXER, mixers, new MixerContext(seed, data.sourceNames(), train.batchSize()));
    checkFit(connector, decoder);
    return new Components(encoder, connector, decoder, mixer, tokenizer);
  }

  private void checkFit(VLConnector connector, Decoder decoder) {
    List<String> problems = new ArrayList<>();
    String connectorType = config.type(Family.CONNECTOR);
    String decoderType = config.type(Family.DECODER);
    if (connector.outputWidth() != decoder.width()) {
      problems.add(
          "connector '"
              + connectorType
              + "' produces tokens of width "
              + connector.outputWidth()
              + " but decoder '"
              + decoderType
              + "' has width "
              + decoder.width()
              + "; the connector plugin ignored ConnectorContext.decoderWidth(), report it to its"
              + " author");
    }
    if (decoder.vocabularySize() < tokenizer.vocabularySize()) {
      problems.add(
          "decoder '"
              + decoderType
              + "' covers "
              + decoder.vocabularySize()
              + " token ids but the tokenizer has "
              + tokenizer.vocabularySize()
              + "; the decoder plugin ignored DecoderContext.vocabularySize()");
    }
    int sequenceLength = train.sequenceLength();
    if (connector.tokens() >= sequenceLength) {
      problems.add(
          "mm1.model.connector.tokens"
              + at(ComponentSlots.pathOf(Family.CONNECTOR) + ".tokens")
              + ": "
              + connector.tokens()
              + " image tokens leave no room for text in mm1.train.seq-len = "
              + sequenceLength
              + at("mm1.train.seq-len")
              + "; raise seq-len above "
              + connector.tokens()
              + " or use fewer tokens");
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
  }

  private String at(String path) {
    Config c = config.config();
    return c.hasPath(path) ? " (" + Origins.describe(c.getValue(path).origin()) + ")" : "";
  }

  private <T, C> T create(
      Family family, Map<String, ? extends ComponentFactory<T, C>> factories, C context) {
    String type = config.type(family);
    ComponentFactory<T, C> factory = factories.get(type);
    if (factory == null) {
      throw new IllegalStateException(
          "no " + family.key() + " factory bound for '" + type + "' although the config named it");
    }
    ConfigOptions options = config.componentOptions(family);
    T component;
    try {
      component = factory.create(options, context);
    } catch (InvalidOptionException e) {
      throw new UserException(ConfigErrors.describe(options, e), e);
    } catch (RuntimeException | LinkageError e) {
      throw new UserException(
          family.key()
              + " '"
              + type
              + "' failed to build: "
              + e
              + "; this is a bug in the plugin (run with --debug for the stack trace)",
          e);
    }
    if (component == null) {
      throw new UserException(family.key() + " '" + type + "' returned no component; a plugin bug");
    }
    List<String> unused = new ArrayList<>();
    for (String key : options.unreadKeys()) {
      Config section = options.config();
      com.typesafe.config.ConfigOrigin valueOrigin = section.getValue(key).origin();
      String origin = Origins.describe(valueOrigin);
      unused.add(
          options.path()
              + "."
              + key
              + " ("
              + origin
              + "): "
              + family.key()
              + " '"
              + type
              + "' does not use this option"
              + (Origins.isDefault(valueOrigin)
                  ? "; the plugin declares it in its reference.conf but never reads it (a plugin bug)"
                  : " with the other settings given; remove it"));
    }
    if (!unused.isEmpty()) {
      throw new UserException(unused);
    }
    return component;
  }
}
