package org.mm1lab.toolkit.arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.function.UnaryOperator;

/**
 * Floating-point types in differentiable code: casts that keep the gradient, and the rule of mixed
 * precision that a component's activations may be float16 while the numerically delicate parts
 * (norms, softmax, exponentials, losses) run in float32.
 *
 * <p>Why not {@link NDArray#toType}: DJL's PyTorch engine runs its cast with autograd switched off,
 * so the result of {@code x.toType(type, false)} is cut from the graph when the type changes, and
 * whatever was computed before it silently receives no gradient. That is harmless for constants
 * (masks, position ids, pooling matrices) and when the type does not change ({@code toType} then
 * returns {@code x} itself); anywhere else use {@link #cast}, which copies into an array of the new
 * type by an in-place copy that autograd records (its backward casts the gradient back).
 *
 * <p>In a mixed-precision training run ({@code mm1.train.precision = fp16-mixed}) the host hands
 * every block its parameters in float16, except those of normalisation layers ({@link
 * ai.djl.nn.Parameter.Type#GAMMA} and {@link ai.djl.nn.Parameter.Type#BETA}), which stay float32,
 * and passes float16 inputs (pixels, image features, image tokens). A plugin never assumes float32
 * activations: it computes norms, softmax and log-softmax in float32 through {@link #inFloat32} or
 * {@link #toFloat32}, and makes the constants it creates match the activations with {@link #like}
 * (or {@code toType}, which is fine for arrays without gradients). In float32 every method here
 * returns its input unchanged and adds no operation, so a float32 run computes exactly what it did
 * without them.
 */
public final class Precision {

  /** Every element, whatever the array's rank: the index of a full copy. */
  private static final NDIndex EVERYTHING = new NDIndex("...");

  private Precision() {}

  /**
   * {@code x} as {@code type}, differentiable: the gradient of the result reaches {@code x}, cast
   * back to its type.
   *
   * @param x any floating-point array
   * @param type the type wanted
   * @return {@code x} itself when it already has that type, otherwise a new array in {@code x}'s
   *     manager, on its device
   */
  public static NDArray cast(NDArray x, DataType type) {
    if (x.getDataType() == type) {
      return x;
    }
    // An uninitialised array and a copy into it: the copy is an in-place op that autograd records
    // (unlike the engine's cast), and it converts the type on the way.
    NDArray result = x.getManager().create(x.getShape(), type, x.getDevice());
    result.set(EVERYTHING, x);
    return result;
  }

  /**
   * {@code x} as float32, differentiable ({@link #cast}).
   *
   * @return {@code x} itself when it is float32 already
   */
  public static NDArray toFloat32(NDArray x) {
    return cast(x, DataType.FLOAT32);
  }

  /**
   * {@code x} in the type of {@code reference}, differentiable ({@link #cast}): for a value
   * computed in float32 that joins activations of the working type, or a constant that must match
   * them.
   *
   * @return {@code x} itself when the types already agree
   */
  public static NDArray like(NDArray x, NDArray reference) {
    return cast(x, reference.getDataType());
  }

  /**
   * {@code op} computed in float32 on {@code x}, its result returned in {@code x}'s type: how a
   * norm, a softmax or any other step that needs float32's range and precision runs among float16
   * activations. Differentiable through both casts.
   *
   * @param x the input, of the working type
   * @param op the computation, from float32 to float32 (given float32 parameters)
   * @return {@code op(x)} when {@code x} is float32; otherwise {@code op(float32(x))} cast to
   *     {@code x}'s type
   */
  public static NDArray inFloat32(NDArray x, UnaryOperator<NDArray> op) {
    DataType type = x.getDataType();
    if (type == DataType.FLOAT32) {
      return op.apply(x);
    }
    return cast(op.apply(cast(x, DataType.FLOAT32)), type);
  }
}
