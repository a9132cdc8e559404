package org.mm1lab.core.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.pipeline.PipelineConfig;
import org.mm1lab.core.pipeline.SequenceStats;
import org.mm1lab.core.run.ModelInstance;
import org.mm1lab.core.run.ParameterCounts;

/**
 * One assembled run under benchmark: its configuration and settings, the allocated model, and the
 * data pipeline configuration the trainer would use. Closing it frees the model.
 */
final class BenchRun implements AutoCloseable {

  final RunPlan plan;
  final RunConfig config;
  final RunSettings settings;
  final TrainSettings train;
  final Components components;
  final ModelInstance instance;
  final ModelFlops flops;
  final Map<String, Long> parameters = new LinkedHashMap<>();

  BenchRun(RunPlan plan, Components components, ModelInstance instance) {
    this.plan = plan;
    this.config = plan.config();
    this.settings = plan.run();
    this.train = plan.train();
    this.components = components;
    this.instance = instance;
    parameters.put("encoder", ParameterCounts.count(components.encoder()));
    parameters.put("connector", ParameterCounts.count(components.connector()));
    parameters.put("decoder", ParameterCounts.count(components.decoder()));
    this.flops = ModelFlops.of(config, components, train.sequenceLength(), parameters);
  }

  /** The data pipeline as the trainer builds it (same sources, mixer, sizes and threads). */
  PipelineConfig pipelineConfig() {
    return plan.pipeline(components, new SequenceStats());
  }

  /** All parameters. */
  long parameterCount() {
    return parameters.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public void close() {
    instance.close();
  }
}
