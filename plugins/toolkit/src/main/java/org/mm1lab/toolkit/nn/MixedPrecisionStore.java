package org.mm1lab.toolkit.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import org.mm1lab.toolkit.arrays.Precision;

/**
 * The parameter store of mixed-precision training: blocks read their float32 parameters (the master
 * weights, which the optimizer updates) as float16 copies, so that their products run in float16,
 * while the gradients flow back through the copies into the float32 masters.
 *
 * <p>Every block reads its weights through {@link ParameterStore#getValue}, DJL's own layers
 * included, so the blocks themselves need no change beyond keeping their activations in the type
 * their weights give them (see {@link Precision}). The copy is {@link Precision#cast}, which
 * autograd records: {@code backward} leaves float32 gradients on the master parameters, and the
 * optimizer and its state never see float16.
 *
 * <p>What stays float32: parameters of normalisation layers ({@link Parameter.Type#GAMMA}, {@link
 * Parameter.Type#BETA}, and batch-norm running statistics), which norms combine with their float32
 * statistics, and parameters that are not float32 to begin with.
 *
 * <p>A parameter read twice in one pass (tied input and output embeddings) is copied once, so its
 * gradient accumulates in one copy. The copies belong to one forward and backward pass: call {@link
 * #release()} after each backward pass (and after a pass without one), when the masters may change.
 * Not thread-safe.
 */
public final class MixedPrecisionStore extends ParameterStore {

  private final DataType computeType;
  private final Map<String, NDArray> copies = new HashMap<>();

  /**
   * @param manager the manager DJL's store attaches mirrored parameters to (the copies live in the
   *     manager of the parameter they copy, closed by {@link #release()})
   * @param computeType the type blocks compute in, {@link DataType#FLOAT16}
   */
  public MixedPrecisionStore(NDManager manager, DataType computeType) {
    super(manager, false);
    if (!computeType.isFloating() || computeType == DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "a mixed-precision store computes in a narrower floating type than float32, got "
              + computeType);
    }
    this.computeType = computeType;
  }

  /** The type blocks receive their weights in. */
  public DataType computeType() {
    return computeType;
  }

  /**
   * The parameter's value for this pass: a {@link #computeType()} copy of it, or the parameter
   * itself when it stays float32 (see the class comment).
   */
  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    NDArray master = super.getValue(parameter, device, training);
    if (master == null || staysFloat32(parameter, master)) {
      return master;
    }
    String id = parameter.getId();
    NDArray copy = copies.get(id);
    if (copy == null || copy.isReleased()) {
      copy = Precision.cast(master, computeType);
      copies.put(id, copy);
    }
    return copy;
  }

  /**
   * Whether a block receives {@code parameter} in float32 rather than in the compute type: norms'
   * gains and shifts, running statistics, and anything not float32 to begin with.
   */
  public static boolean staysFloat32(Parameter parameter, NDArray value) {
    if (value.getDataType() != DataType.FLOAT32) {
      return true;
    }
    return switch (parameter.getType()) {
      case GAMMA, BETA, RUNNING_MEAN, RUNNING_VAR -> true;
      default -> false;
    };
  }

  /**
   * Closes the copies of the finished pass; the next {@link #getValue} copies the (updated) master
   * again. Call once the pass's backward has run, or when a pass ends without one.
   */
  public void release() {
    copies.values().forEach(NDArray::close);
    copies.clear();
  }
}
