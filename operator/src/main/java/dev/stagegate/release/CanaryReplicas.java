package dev.stagegate.release;

/**
 * Replica arithmetic for a replica-based canary: the stable revision stays at full size and the
 * canary adds pods, so traffic through the shared Service follows the share of ready pods.
 */
public final class CanaryReplicas {
  private CanaryReplicas() {}

  /** Canary pods beside {@code stable} stable pods whose share is as close to {@code weight}% as whole pods allow (at least 1). */
  public static int forWeight(int stable, int weight) {
    if (weight >= 100) {
      return stable;
    }
    if (weight <= 0) {
      return 0;
    }
    double exact = weight * (double) stable / (100.0 - weight);
    int low = Math.max(1, (int) Math.floor(exact));
    int high = Math.max(1, (int) Math.ceil(exact));
    double target = weight / 100.0;
    return Math.abs(share(low, stable) - target) <= Math.abs(share(high, stable) - target) ? low : high;
  }

  /** The canary's share of ready pods, in whole percent. */
  public static int actualWeight(int canaryReady, int stableReady) {
    int total = canaryReady + stableReady;
    return total == 0 ? 0 : (int) Math.round(100.0 * canaryReady / total);
  }

  private static double share(int canary, int stable) {
    return canary / (double) (canary + stable);
  }
}
