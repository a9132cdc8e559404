package org.mm1lab.plugins.data;

import java.util.List;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;

/**
 * The built-in data mixers, which decide which data source each training example comes from:
 *
 * <ul>
 *   <li>{@code weighted}: each example's source drawn independently by weight (the MM1 paper's
 *       mixing);
 *   <li>{@code batch-weighted}: one source per batch, drawn by weight;
 *   <li>{@code schedule}: a fixed, repeating order of sources.
 * </ul>
 *
 * Every stream is a pure function of the run's seed, the options and the position, and every
 * mixer's state is the number of examples drawn, so resuming is O(1).
 */
public final class DataPlugin implements Mm1Plugin {

  @Override
  public String apiVersion() {
    return Mm1Api.VERSION;
  }

  @Override
  public List<DataMixerFactory> dataMixers() {
    return List.of(
        new WeightedMixerFactory(), new BatchWeightedMixerFactory(), new ScheduleMixerFactory());
  }
}
