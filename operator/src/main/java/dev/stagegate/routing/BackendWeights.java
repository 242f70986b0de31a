package dev.stagegate.routing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The two weights written into an HTTPRoute's backendRefs. The Gateway API gives a backend the share
 * weight / (sum of weights), not a percentage, so a canary percentage becomes the smallest integer pair with exactly
 * that ratio: 1% is 99/1, 0.1% is 999/1, 12.5% is 7/1. Percentages are honoured to 4 decimals (one request in a
 * million), the resolution that fits the API's 0..1,000,000 weight range.
 */
public record BackendWeights(int stable, int canary) {
  /** The Gateway API's largest weight. */
  public static final int MAX_WEIGHT = 1_000_000;
  /** Percentages are honoured to 4 decimals: 100% is 1,000,000 parts per million. */
  public static final int PERCENT_SCALE = 4;

  public static final BackendWeights ALL_STABLE = new BackendWeights(1, 0);
  public static final BackendWeights ALL_CANARY = new BackendWeights(0, 1);

  public BackendWeights {
    if (stable < 0 || canary < 0 || stable > MAX_WEIGHT || canary > MAX_WEIGHT) {
      throw new IllegalArgumentException("weights must be within 0.." + MAX_WEIGHT + ", got " + stable + "/" + canary);
    }
    if (stable + canary == 0) {
      throw new IllegalArgumentException("at least one weight must be positive (0/0 sends no traffic anywhere)");
    }
  }

  /**
   * The exact weights for a canary share in percent (0..100, at most 4 decimals).
   *
   * @param field the field the percentage came from, named in the error
   */
  public static BackendWeights forCanaryPercent(BigDecimal percent, String field) {
    if (percent == null || percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException(field + " must be a percentage within 0..100, got " + percent);
    }
    if (percent.stripTrailingZeros().scale() > PERCENT_SCALE) {
      throw new IllegalArgumentException(field + " has more than " + PERCENT_SCALE
          + " decimals (one request in a million is the finest share a route can express): " + percent);
    }
    int canaryPpm = percent.movePointRight(PERCENT_SCALE).setScale(0, RoundingMode.UNNECESSARY).intValueExact();
    int stablePpm = MAX_WEIGHT - canaryPpm;
    // Smallest equivalent pair: readable in the route, and what a person would write by hand.
    int gcd = BigInteger.valueOf(stablePpm).gcd(BigInteger.valueOf(canaryPpm)).intValue();
    return new BackendWeights(stablePpm / gcd, canaryPpm / gcd);
  }

  /** The weights found in a route (either may be absent from it: an absent backendRef gets nothing). */
  public static BackendWeights observed(int stable, int canary) {
    return new BackendWeights(stable, canary);
  }

  /** The canary's share of requests, 0..1. */
  public double canaryShare() {
    return (double) canary / (stable + canary);
  }

  /** The canary's share in percent, exact to {@link #PERCENT_SCALE} decimals (for status and messages). */
  public BigDecimal canaryPercent() {
    return BigDecimal.valueOf(canary).multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf((long) stable + canary), PERCENT_SCALE, RoundingMode.HALF_EVEN)
        .stripTrailingZeros();
  }

  /** Whether both pairs send the same shares (99/1 and 198/2 do). */
  public boolean sameShareAs(BackendWeights other) {
    return (long) stable * other.canary == (long) canary * other.stable;
  }

  @Override
  public String toString() {
    return stable + "/" + canary + " (canary " + canaryPercent().toPlainString() + "%)";
  }
}
