package org.mm1lab.core.eval.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A linear probe: multinomial logistic regression from frozen features to a label, fitted on one
 * split and scored on another. It measures what a stage's output makes <em>linearly</em> available,
 * the usual reading of a representation (Alain and Bengio, 2016): a label a linear map cannot read
 * from the features is one the next stage would have to dig out itself.
 *
 * <p>Features are standardised with the fitting split's statistics; the weights are fitted by
 * full-batch Adam with an L2 penalty, written out by hand (no autograd), so that a probe is a few
 * matrix products per step.
 */
public final class LinearProbe {

  private final int steps;
  private final float learningRate;
  private final float l2;

  /**
   * @param steps full-batch optimisation steps
   * @param learningRate Adam's step size
   * @param l2 the L2 penalty on the weights (not the bias)
   */
  public LinearProbe(int steps, float learningRate, float l2) {
    if (steps < 1 || !(learningRate > 0) || !(l2 >= 0)) {
      throw new IllegalArgumentException("steps >= 1, learningRate > 0 and l2 >= 0 are needed");
    }
    this.steps = steps;
    this.learningRate = learningRate;
    this.l2 = l2;
  }

  /** The defaults used by {@code mm1 probe}: 300 steps, step size 0.01, penalty 1e-3. */
  public static LinearProbe standard() {
    return new LinearProbe(300, 0.01f, 1e-3f);
  }

  /** Accuracies on the fitting and the held-out split. */
  public record Accuracy(double fit, double heldOut) {}

  /**
   * Fits the probe on {@code fitX, fitY} and scores it on both splits.
   *
   * @param fitX {@code (N, D)} features
   * @param fitY {@code N} labels in {@code [0, classes)}
   * @param testX {@code (M, D)} features
   * @param testY {@code M} labels; a label the fitting split never had is simply never predicted
   * @param classes number of classes
   */
  public Accuracy fit(NDArray fitX, int[] fitY, NDArray testX, int[] testY, int classes) {
    // every array of the fit is freed with it: only the two accuracies leave
    try (NDScope fitArrays = new NDScope()) {
      NDManager scope = fitX.getManager();
      NDArray mean = fitX.mean(new int[] {0}, true);
      NDArray std = fitX.sub(mean).square().mean(new int[] {0}, true).sqrt().add(1e-5f);
      NDArray x = fitX.sub(mean).div(std);
      NDArray xTest = testX.sub(mean).div(std);
      long n = x.getShape().get(0);
      long d = x.getShape().get(1);
      NDArray y = oneHot(scope, fitY, classes);
      NDArray w = scope.zeros(new Shape(d, classes), DataType.FLOAT32);
      NDArray b = scope.zeros(new Shape(1, classes), DataType.FLOAT32);
      NDArray mw = w.zerosLike();
      NDArray vw = w.zerosLike();
      NDArray mb = b.zerosLike();
      NDArray vb = b.zerosLike();
      NDArray xt = x.transpose();
      float beta1 = 0.9f;
      float beta2 = 0.999f;
      for (int t = 1; t <= steps; t++) {
        // every temporary of the step is freed with it; the weights and moments change in place
        try (NDScope step = new NDScope()) {
          NDArray p = x.matMul(w).add(b).softmax(1);
          NDArray error = p.sub(y).div((float) n);
          NDArray gw = xt.matMul(error).add(w.mul(l2));
          NDArray gb = error.sum(new int[] {0}, true);
          float c1 = (float) (1 - Math.pow(beta1, t));
          float c2 = (float) (1 - Math.pow(beta2, t));
          adam(mw, vw, w, gw, beta1, beta2, c1, c2);
          adam(mb, vb, b, gb, beta1, beta2, c1, c2);
        }
      }
      return new Accuracy(accuracy(x, w, b, fitY), accuracy(xTest, w, b, testY));
    }
  }

  private void adam(
      NDArray m,
      NDArray v,
      NDArray param,
      NDArray grad,
      float beta1,
      float beta2,
      float c1,
      float c2) {
    m.muli(beta1).addi(grad.mul(1 - beta1));
    v.muli(beta2).addi(grad.square().mul(1 - beta2));
    param.subi(m.div(c1).div(v.div(c2).sqrt().add(1e-8f)).mul(learningRate));
  }

  private static double accuracy(NDArray x, NDArray w, NDArray b, int[] labels) {
    try (NDScope scope = new NDScope()) {
      long[] best = x.matMul(w).add(b).argMax(1).toLongArray();
      int right = 0;
      for (int i = 0; i < labels.length; i++) {
        if (best[i] == labels[i]) {
          right++;
        }
      }
      return labels.length == 0 ? 0 : (double) right / labels.length;
    }
  }

  private static NDArray oneHot(NDManager manager, int[] labels, int classes) {
    float[] data = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      data[i * classes + labels[i]] = 1f;
    }
    return manager.create(data, new Shape(labels.length, classes));
  }
}
