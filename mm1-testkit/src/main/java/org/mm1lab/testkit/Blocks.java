package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** What the engine-backed contracts share: parameters, their gradients, saving and loading. */
final class Blocks {

  private Blocks() {}

  /**
   * Runs the PyTorch engine offline, as the host does: its native library comes from the
   * pytorch-native jar on the class path, never from the network.
   */
  static void offlineEngine() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** Every parameter's values, by name, in the block's order. */
  static Map<String, float[]> parameters(Block block) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      values.put(
          p.getKey(), p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
    }
    return values;
  }

  /** Asserts two parameter snapshots are equal, name by name, bit for bit. */
  static void assertSameParameters(
      Map<String, float[]> expected, Map<String, float[]> actual, String why) {
    assertEquals(expected.keySet(), actual.keySet(), why + ": parameter names differ");
    for (Map.Entry<String, float[]> entry : expected.entrySet()) {
      assertArrayEquals(
          entry.getValue(), actual.get(entry.getKey()), why + ": parameter " + entry.getKey());
    }
  }

  /** Asserts two arrays have the same shape and the same values, bit for bit. */
  static void assertSameValues(NDArray expected, NDArray actual, String why) {
    assertEquals(expected.getShape(), actual.getShape(), why + ": shapes differ");
    assertArrayEquals(
        expected.toType(DataType.FLOAT32, false).toFloatArray(),
        actual.toType(DataType.FLOAT32, false).toFloatArray(),
        why);
  }

  /** Asserts an array has the expected shape and holds no NaN or infinity. */
  static void assertShapeAndFinite(Shape expected, NDArray actual, String what) {
    assertEquals(expected, actual.getShape(), what + ": shape");
    float[] values = actual.toType(DataType.FLOAT32, false).toFloatArray();
    for (float value : values) {
      assertTrue(Float.isFinite(value), what + ": holds " + value);
    }
  }

  /**
   * Asserts that a loss built on the block's output gave every parameter a non-zero gradient: a
   * parameter cut off from the output would silently never train.
   */
  static void assertEveryParameterHasAGradient(Block block) {
    assertFalse(block.getParameters().isEmpty(), "the block has no parameters to train");
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (!p.getValue().requiresGradient()) {
        continue;
      }
      NDArray gradient = p.getValue().getArray().getGradient();
      assertTrue(
          gradient.abs().sum().getFloat() > 0f,
          "no gradient reaches parameter " + p.getKey() + "; is it used in forward?");
    }
  }

  /** Every trainable parameter's gradient, by name, in the block's order. */
  static Map<String, float[]> gradients(Block block) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        NDArray gradient = p.getValue().getArray().getGradient();
        values.put(p.getKey(), gradient.toType(DataType.FLOAT32, false).toFloatArray());
      }
    }
    return values;
  }

  /**
   * Lets the garbage collector free every unreachable direct buffer, then reuses freed native
   * memory with NaN: what a busy Java heap does by accident between a forward and a backward pass.
   * An array whose memory is borrowed from a buffer that was collected (see {@code
   * org.mm1lab.toolkit.arrays.Scalars}) then shows up as a wrong or NaN gradient.
   */
  static void churnNativeMemory() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Held until every buffer is written, so that none reuses another's memory.
    @SuppressWarnings("ModifiedButNotUsed")
    List<ByteBuffer> filler = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(4 << (i % 6)).order(ByteOrder.nativeOrder());
      while (buffer.remaining() >= 4) {
        buffer.putFloat(Float.NaN);
      }
      filler.add(buffer);
    }
    filler.clear();
  }

  /** The block's parameters as {@link Block#saveParameters} writes them. */
  static byte[] save(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Loads parameters saved by {@link #save} into an initialised block. */
  static void load(Block block, NDManager manager, byte[] saved) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
      block.loadParameters(manager, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedModelException e) {
      throw new AssertionError(
          "parameters saved by the block do not load back: " + e.getMessage(), e);
    }
  }

  /**
   * Asserts that {@code actual} holds no NaN or infinity and differs from {@code expected} nowhere
   * by more than {@code tolerance} times the larger of 1 and the largest magnitude in {@code
   * expected}.
   */
  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": sizes");
    double scale = 1;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Float.isFinite(actual[i]), what + ": element " + i + " is " + actual[i]);
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertTrue(
        worst <= tolerance * scale,
        what + ": differs by up to " + worst + ", more than " + tolerance + " x " + scale);
  }

  /**
   * Asserts that {@code actual} is finite and within {@code relative} of {@code expected}: the L2
   * norm of their difference is at most {@code relative} times the larger of {@code expected}'s
   * norm and {@code floor}. The floor lets a gradient that is zero in exact arithmetic (a key bias
   * under softmax) differ by rounding noise, while a gradient lost altogether (a cut branch) fails
   * wherever the expected one is larger than the floor.
   */
  static void assertGradientClose(
      float[] expected, float[] actual, double relative, double floor, String what) {
    assertNotNull(actual, what + ": missing");
    assertEquals(expected.length, actual.length, what + ": sizes");
    double differenceSquares = 0;
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Float.isFinite(actual[i]), what + ": element " + i + " is " + actual[i]);
      double d = (double) actual[i] - expected[i];
      differenceSquares += d * d;
    }
    double difference = Math.sqrt(differenceSquares);
    double bound = relative * Math.max(norm(expected), floor);
    assertTrue(
        difference <= bound,
        what
            + " differs from the float32 one by "
            + difference
            + " (L2), more than "
            + relative
            + " x "
            + Math.max(norm(expected), floor));
  }

  /** The L2 norm of {@code values}. */
  static double norm(float[] values) {
    double squares = 0;
    for (float v : values) {
      squares += (double) v * v;
    }
    return Math.sqrt(squares);
  }

  /** Normal random values from a seeded Java generator, independent of the engine's. */
  static NDArray randomNormal(NDManager manager, Shape shape, long seed) {
    Random random = new Random(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, shape);
  }
}
