package org.mm1lab.core.run;

import ai.djl.engine.Engine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The engine's intra-op and inter-op thread counts. PyTorch reads them from system properties once,
 * when the engine starts; its intra-op count can also be changed later through DJL's {@code
 * JniUtils.setNumThreads}, which this reaches by reflection so that the core stays free of any one
 * engine's classes. A change made later applies to the calling thread (OpenMP keeps the count per
 * thread) and to threads that run their first operation afterwards: call it from the thread that
 * trains.
 */
public final class EngineThreads {

  /** DJL's PyTorch engine reads this at start-up for its intra-op threads. */
  static final String INTRA_OP = "ai.djl.pytorch.num_threads";

  /** ... and this for its inter-op threads (parallel independent operations). */
  static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

  private static final String JNI = "ai.djl.pytorch.jni.JniUtils";

  private EngineThreads() {}

  /**
   * Sets the intra-op threads to {@code threads}, and the inter-op threads too when the engine has
   * not started yet (the engine fixes those once). A property the user gave with {@code -D} is kept
   * for the engine's start; the later call still sets the intra-op count.
   *
   * @return whether the engine took the count (false for an engine other than PyTorch)
   */
  public static boolean set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    String count = Integer.toString(threads);
    if (System.getProperty(INTRA_OP) == null) {
      System.setProperty(INTRA_OP, count);
    }
    if (System.getProperty(INTER_OP) == null) {
      System.setProperty(INTER_OP, count);
    }
    return call("setNumThreads", threads) != null;
  }

  /** The intra-op threads operations on the calling thread use, or -1 when the engine won't say. */
  public static int current() {
    Object threads = call("getNumThreads", null);
    return threads instanceof Integer n ? n : -1;
  }

  /** Calls a static method of DJL's PyTorch JNI; null where the engine is another. */
  private static Object call(String name, Integer argument) {
    Engine engine = Engine.getInstance();
    if (!"PyTorch".equals(engine.getEngineName())) {
      return null;
    }
    try {
      Class<?> jni = Class.forName(JNI, true, engine.getClass().getClassLoader());
      if (argument == null) {
        return jni.getMethod(name).invoke(null);
      }
      Method method = jni.getMethod(name, int.class);
      method.invoke(null, argument);
      return argument;
    } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
      return null;
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the engine refused " + name, e.getCause());
    }
  }
}
