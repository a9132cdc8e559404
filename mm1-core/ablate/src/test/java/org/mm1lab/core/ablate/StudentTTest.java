package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Student's t quantiles against published tables (values to 9 or 10 significant digits). */
class StudentTTest {

  @Test
  void quantilesMatchTheTables() {
    // df = 1 is the Cauchy distribution: tan(pi * (0.975 - 0.5)).
    assertEquals(12.70620474, StudentT.quantile(0.975, 1), 1e-8);
    assertEquals(Math.tan(Math.PI * 0.475), StudentT.quantile(0.975, 1), 1e-9);
    assertEquals(4.302652730, StudentT.quantile(0.975, 2), 1e-9);
    // df = 2 has a closed form too: (2p - 1) / sqrt(2 p (1 - p)).
    assertEquals(0.95 / Math.sqrt(2 * 0.975 * 0.025), StudentT.quantile(0.975, 2), 1e-9);
    assertEquals(3.182446305, StudentT.quantile(0.975, 3), 1e-9);
    assertEquals(2.776445105, StudentT.quantile(0.975, 4), 1e-9);
    assertEquals(2.228138852, StudentT.quantile(0.975, 10), 1e-9);
    assertEquals(2.042272456, StudentT.quantile(0.975, 30), 1e-9);
    assertEquals(63.65674116, StudentT.quantile(0.995, 1), 1e-7);
    assertEquals(1.959963985, StudentT.quantile(0.975, 1e6), 1e-5);
    assertEquals(1.959963985, StudentT.quantile(0.975, Double.POSITIVE_INFINITY), 1e-9);
    assertEquals(2.575829304, StudentT.quantile(0.995, Double.POSITIVE_INFINITY), 1e-9);
  }

  @Test
  void quantilesAreSymmetricAndTailsInvertThem() {
    assertEquals(0, StudentT.quantile(0.5, 3));
    assertEquals(-4.302652730, StudentT.quantile(0.025, 2), 1e-9);
    // Welch's degrees of freedom are fractional.
    double t = StudentT.quantile(0.975, 2.5);
    assertEquals(0.025, StudentT.upperTail(t, 2.5), 1e-14);
    assertEquals(0.975, StudentT.upperTail(-t, 2.5), 1e-14);
    assertEquals(
        0.025, StudentT.upperTail(StudentT.quantile(0.975, 0.5), 0.5), 1e-13, "below df 1");
  }

  @Test
  void specialFunctionsAgreeWithClosedForms() {
    assertEquals(Math.log(24), StudentT.logGamma(5), 1e-13);
    assertEquals(0.5 * Math.log(Math.PI), StudentT.logGamma(0.5), 1e-13);
    assertEquals(Math.log(Math.sqrt(Math.PI) / 2), StudentT.logGamma(1.5), 1e-13);
    // Gamma(1/4) = 3.625609908221908..., through the reflection formula.
    assertEquals(Math.log(3.625609908221908), StudentT.logGamma(0.25), 1e-13);
    // I_x(1, 1) = x and I_x(a, 1) = x^a.
    assertEquals(0.3, StudentT.incompleteBeta(0.3, 1, 1), 1e-14);
    assertEquals(Math.pow(0.7, 3), StudentT.incompleteBeta(0.7, 3, 1), 1e-14);
    assertEquals(0, StudentT.incompleteBeta(0, 2, 3));
    assertEquals(1, StudentT.incompleteBeta(1, 2, 3));
    // Q(1, x) = exp(-x), both sides of the series/fraction switch.
    assertEquals(Math.exp(-0.5), StudentT.upperGamma(1, 0.5), 1e-14);
    assertEquals(Math.exp(-7), StudentT.upperGamma(1, 7), 1e-15);
    assertEquals(1, StudentT.upperGamma(1, 0));
  }

  @Test
  void rejectsImpossibleArguments() {
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1, 3));
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0, 3));
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(Double.NaN, 3));
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.9, 0));
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.9, Double.NaN));
  }
}
