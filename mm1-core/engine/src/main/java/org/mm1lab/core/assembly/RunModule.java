package org.mm1lab.core.assembly;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.data.Tokenizers;

/**
 * Binds one run's configuration, its validated settings, and the services that follow from them.
 */
public final class RunModule extends AbstractModule {

  private final RunConfig config;

  public RunModule(RunConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(RunConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  DataSettings dataSettings(RunConfig runConfig) {
    return new DataSettings(runConfig);
  }

  @Provides
  @Singleton
  Tokenizer tokenizer(DataSettings data) {
    return Tokenizers.load(data.tokenizer());
  }

  @Provides
  @Singleton
  RunSettings settings(RunConfig runConfig) {
    return new RunSettings(runConfig);
  }

  @Provides
  @Singleton
  TrainSettings trainSettings(RunConfig runConfig) {
    return new TrainSettings(runConfig);
  }
}
