package org.mm1lab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void editDistanceCountsTranspositionsAsOneEdit() {
    assertEquals(0, Suggestions.editDistance("steps", "steps"));
    assertEquals(1, Suggestions.editDistance("stpes", "steps"));
    assertEquals(1, Suggestions.editDistance("step", "steps"));
    assertEquals(3, Suggestions.editDistance("abc", ""));
  }

  @Test
  void suggestsOnlyPlausibleTypos() {
    List<String> known = List.of("avg-pool", "attention-pool", "c-abstractor");
    assertEquals(Optional.of("avg-pool"), Suggestions.closest("avg-pol", known));
    assertEquals(Optional.of("c-abstractor"), Suggestions.closest("cabstractor", known));
    assertEquals(Optional.empty(), Suggestions.closest("perceiver", known));
  }
}
