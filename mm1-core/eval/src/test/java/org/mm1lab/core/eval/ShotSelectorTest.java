package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;

class ShotSelectorTest {

  private final List<EvalItem> pool = EvalFixtures.text("pool", 32);

  @Test
  void theSameQueryGetsTheSameShotsEveryTime() {
    List<EvalItem> first = new ShotSelector(0, "text-core", pool).select("item-7", 8);
    List<EvalItem> again = new ShotSelector(0, "text-core", List.copyOf(pool)).select("item-7", 8);
    assertEquals(first, again);
    assertEquals(8, new HashSet<>(first).size(), "no example twice");
  }

  @Test
  void fewerShotsAreAPrefixOfMoreAndQueriesDrawApart() {
    ShotSelector selector = new ShotSelector(0, "text-core", pool);
    List<EvalItem> eight = selector.select("item-3", 8);
    assertEquals(eight.subList(0, 4), selector.select("item-3", 4));
    assertNotEquals(eight, selector.select("item-4", 8));
    assertNotEquals(eight, new ShotSelector(1, "text-core", pool).select("item-3", 8));
    assertEquals(List.of(), selector.select("item-3", 0));
  }

  @Test
  void asmallPoolIsAClearError() {
    ShotSelector selector = new ShotSelector(0, "vqa", pool.subList(0, 3));
    UserException e = assertThrows(UserException.class, () -> selector.select("x", 4));
    assertEquals(
        "task vqa: 4 shots need 4 in-context examples, but its shots split has only 3; lower"
            + " mm1.eval.shots or add examples",
        e.getMessage());
  }
}
