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
 * Binds one run's configuration, its settings (read once, by {@link Assembly#plan}), and the
 * services that follow from them.
 */
public final class RunModule extends AbstractModule {

  private final RunPlan plan;

  public RunModule(RunPlan plan) {
    this.plan = plan;
  }

  @Override
  protected void configure() {
    bind(RunConfig.class).toInstance(plan.config());
    bind(RunSettings.class).toInstance(plan.run());
    bind(TrainSettings.class).toInstance(plan.train());
    bind(DataSettings.class).toInstance(plan.data());
  }

  @Provides
  @Singleton
  Tokenizer tokenizer(DataSettings data) {
    return Tokenizers.load(data.tokenizer());
  }
}
