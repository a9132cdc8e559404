package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.UserException;

class ThreadPolicyTest {

  /** A policy on {@code processors} cores where other work keeps {@code busy} busy. */
  private static ThreadPolicy policy(
      String setting, Map<String, String> environment, int processors, double busy) {
    return new ThreadPolicy(setting, environment, processors, () -> busy);
  }

  @Test
  void autoTakesTheCoresOtherWorkLeavesFree() {
    assertEquals(2, policy("auto", Map.of(), 2, 0.05).choose().threads());
    assertEquals(1, policy("auto", Map.of(), 2, 1.0).choose().threads(), "one spinning process");
    assertEquals(1, policy("auto", Map.of(), 2, 0.4).choose().threads(), "0.6 of a core is idle");
    assertEquals(2, policy("auto", Map.of(), 2, 0.25).choose().threads(), "0.75 of a core idle");
    assertEquals(1, policy("auto", Map.of(), 2, 6.0).choose().threads(), "never fewer than one");
    assertEquals(14, policy("auto", Map.of(), 16, 2.1).choose().threads());
    assertEquals(
        "2 compute threads (mm1.threads = auto: 0.1 of 2 cores busy with other work)",
        policy("auto", Map.of(), 2, 0.05).choose().describe());
    assertEquals(
        "1 compute thread (mm1.threads = auto: 1.0 of 2 cores busy with other work)",
        policy("auto", Map.of(), 2, 1.0).choose().describe());
  }

  @Test
  void anUnreadableLoadMeansEveryCore() {
    ThreadPolicy.Choice choice = policy("auto", Map.of(), 4, Double.NaN).choose();
    assertEquals(4, choice.threads());
    assertTrue(choice.source().contains("cannot be read"), choice.source());
  }

  @Test
  void anExplicitOmpNumThreadsWinsThenTheEnvironmentThenTheSetting() {
    Map<String, String> all = Map.of("OMP_NUM_THREADS", "3", ThreadPolicy.ENVIRONMENT, "2");
    assertEquals(new ThreadPolicy.Choice(3, "OMP_NUM_THREADS=3"), policy("1", all, 8, 0).choose());
    assertEquals(
        new ThreadPolicy.Choice(2, "MM1_THREADS=2"),
        policy("1", Map.of(ThreadPolicy.ENVIRONMENT, "2"), 8, 0).choose());
    assertEquals(
        new ThreadPolicy.Choice(1, "mm1.threads = 1"), policy("1", Map.of(), 8, 0).choose());
    // a count above the cores is the user's to choose
    assertEquals(12, policy("12", Map.of(), 2, 0).choose().threads());
    // MM1_THREADS=auto over a fixed setting measures
    assertEquals(
        "MM1_THREADS=auto: 1.0 of 2 cores busy with other work",
        policy("2", Map.of(ThreadPolicy.ENVIRONMENT, "auto"), 2, 1.0).choose().source());
  }

  @Test
  void anOmpNumThreadsOpenMpWouldIgnoreIsIgnored() {
    for (String ignored : java.util.List.of("0", "4,2", "many")) {
      assertEquals(
          "mm1.threads = 1",
          policy("1", Map.of("OMP_NUM_THREADS", ignored), 2, 0).choose().source(),
          ignored);
    }
  }

  @Test
  void aBadEnvironmentValueIsOneLineNamingIt() {
    UserException e =
        assertThrows(
            UserException.class,
            () -> policy("auto", Map.of(ThreadPolicy.ENVIRONMENT, "banana"), 2, 0).choose());
    assertEquals(
        "MM1_THREADS=banana is not auto or a whole number of threads (at least 1)", e.getMessage());
  }

  @Test
  void onlyAutoMeasures() {
    AtomicInteger measured = new AtomicInteger();
    new ThreadPolicy(
            "2",
            Map.of(),
            2,
            () -> {
              measured.incrementAndGet();
              return 0;
            })
        .choose();
    assertEquals(0, measured.get());
  }

  @Test
  void applyingSetsTheEnginesThreadsOnThisThread() {
    int before = EngineThreads.current();
    try {
      ThreadPolicy.Choice choice = policy("auto", Map.of(), 2, 1.0).apply();
      assertEquals(1, choice.threads());
      assertEquals(1, EngineThreads.current());
    } finally {
      EngineThreads.set(before);
    }
  }
}
