package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

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
  private final ToDoubleFunction<String> rateScale;
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
    this(manager, beta1, beta2, epsilon, weightDecay, name -> 1.0);
  }

  /**
   * An optimizer whose rate differs between parameters, as when a pretrained encoder learns at a
   * tenth of the rate of the rest.
   *
   * @param rateScale multiplies the learning rate (and the decay with it) of the parameter of that
   *     name; 1 for the common rate
   */
  public AdamW(
      NDManager manager,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      ToDoubleFunction<String> rateScale) {
    this.rateScale = rateScale;
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
   * One update of every parameter that has a gradient.
   *
   * @param parameters named parameters, in a stable order
   * @param learningRate this step's rate
   */
  public void update(List<Map.Entry<String, Parameter>> parameters, double learningRate) {
    update(parameters, learningRate, 1f);
  }

  /**
   * One update of every parameter that has a gradient, each gradient first multiplied by {@code
   * gradientScale} (global-norm clipping then costs no pass of its own over the gradients). The
   * update is the engine's fused Adam kernel ({@code NDArrayEx.adamUpdate}, one native call per
   * parameter instead of some fifteen array operations with their temporaries); it leaves every
   * updated parameter's gradient zeroed.
   *
   * <p>The bias corrections fold into two scalars: with {@code c1 = 1 - beta1^t} and {@code c2 = 1
   * - beta2^t}, {@code (m / c1) / (sqrt(v / c2) + eps) = m * (sqrt(c2) / c1) / (sqrt(v) + eps *
   * sqrt(c2))}, so the kernel's {@code lr * m' / (sqrt(v) + eps')} form computes exactly the
   * textbook update. Decoupled decay {@code w -= lr * wd * w} uses the weight before the step.
   *
   * @param parameters named parameters, in a stable order
   * @param learningRate this step's rate
   * @param gradientScale multiplies every gradient (1 for none)
   */
  public void update(
      List<Map.Entry<String, Parameter>> parameters, double learningRate, float gradientScale) {
    step++;
    double correction1 = 1 - Math.pow(beta1, (double) step);
    double root2 = Math.sqrt(1 - Math.pow(beta2, (double) step));
    float correctedRate = (float) (learningRate * root2 / correction1);
    float correctedEpsilon = (float) (epsilon * root2);
    for (Map.Entry<String, Parameter> entry : parameters) {
      NDArray weight = entry.getValue().getArray();
      if (!weight.hasGradient()) {
        continue;
      }
      NDArray m = moment(firstMoments, entry.getKey(), weight);
      NDArray v = moment(secondMoments, entry.getKey(), weight);
      float decay = weight.getShape().dimension() > 1 ? (float) weightDecay : 0f;
      double scale = rateScale.applyAsDouble(entry.getKey());
      weight
          .getNDArrayInternal()
          .adamUpdate(
              new NDList(weight, weight.getGradient(), m, v),
              new NDList(weight),
              (float) (learningRate * scale),
              (float) (correctedRate * scale),
              decay,
              gradientScale,
              -1f, // no element-wise clipping: the kernel's clip only bounds from above
              (float) beta1,
              (float) beta2,
              correctedEpsilon,
              false,
              true);
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
