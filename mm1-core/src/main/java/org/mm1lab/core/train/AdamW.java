package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) with decoupled weight decay, whose moment estimates are part of the
 * checkpoint: DJL's own optimizers keep them in private fields, so a resumed run could not continue
 * with the same numbers. Parameters of rank 1 (biases, norm gains) are not decayed. Not
 * thread-safe.
 */
public final class AdamW {

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long step;

  /**
   * @param manager owns the moment estimates (close it to free them)
   * @param beta1 first-moment decay, e.g. 0.9
   * @param beta2 second-moment decay, e.g. 0.95
   * @param epsilon denominator guard, e.g. 1e-8
   * @param weightDecay decoupled decay per step, as a fraction of the learning rate
   */
  public AdamW(NDManager manager, double beta1, double beta2, double epsilon, double weightDecay) {
    this.stateManager = manager;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /** Updates completed so far. */
  public long step() {
    return step;
  }

  /**
   * One update of every parameter that has a gradient. Temporaries live in an {@link NDScope}
   * closed before returning, so memory stays flat.
   *
   * @param parameters named parameters, in a stable order
   * @param learningRate this step's rate
   */
  public void update(List<Map.Entry<String, Parameter>> parameters, double learningRate) {
    step++;
    float correction1 = (float) (1 - Math.pow(beta1, step));
    float correction2 = (float) (1 - Math.pow(beta2, step));
    // Moments first, outside the scope, so that the scope closes only this step's temporaries.
    for (Map.Entry<String, Parameter> entry : parameters) {
      NDArray weight = entry.getValue().getArray();
      if (weight.hasGradient()) {
        moment(firstMoments, entry.getKey(), weight);
        moment(secondMoments, entry.getKey(), weight);
      }
    }
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, Parameter> entry : parameters) {
        NDArray weight = entry.getValue().getArray();
        if (!weight.hasGradient()) {
          continue;
        }
        NDArray gradient = weight.getGradient();
        NDArray m = firstMoments.get(entry.getKey());
        NDArray v = secondMoments.get(entry.getKey());
        m.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
        v.muli((float) beta2).addi(gradient.square().muli((float) (1 - beta2)));
        NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi((float) epsilon));
        if (weightDecay > 0 && weight.getShape().dimension() > 1) {
          update.addi(weight.mul((float) weightDecay));
        }
        weight.subi(update.muli((float) learningRate));
      }
    }
  }

  private NDArray moment(Map<String, NDArray> moments, String name, NDArray like) {
    return moments.computeIfAbsent(
        name,
        n -> {
          NDArray zeros = stateManager.zeros(like.getShape(), like.getDataType(), like.getDevice());
          // The state outlives any scope the caller's step runs in.
          NDScope.unregister(zeros);
          return zeros;
        });
  }

  /**
   * The optimizer's state as named arrays ({@code m/NAME}, {@code v/NAME}) for a checkpoint; the
   * step count goes alongside with {@link #step()}.
   */
  public Map<String, NDArray> state() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    firstMoments.forEach((name, array) -> state.put("m/" + name, array));
    secondMoments.forEach((name, array) -> state.put("v/" + name, array));
    return state;
  }

  /**
   * Restores a state written by {@link #state()}; the arrays are copied into this optimizer's
   * manager.
   */
  public void restore(Map<String, NDArray> state, long steps) {
    firstMoments.values().forEach(NDArray::close);
    secondMoments.values().forEach(NDArray::close);
    firstMoments.clear();
    secondMoments.clear();
    for (Map.Entry<String, NDArray> entry : state.entrySet()) {
      String key = entry.getKey();
      NDArray copy = entry.getValue().duplicate();
      copy.attach(stateManager);
      NDScope.unregister(copy);
      if (key.startsWith("m/")) {
        firstMoments.put(key.substring(2), copy);
      } else if (key.startsWith("v/")) {
        secondMoments.put(key.substring(2), copy);
      } else {
        throw new IllegalArgumentException("not an AdamW state entry: " + key);
      }
    }
    this.step = steps;
  }
}
