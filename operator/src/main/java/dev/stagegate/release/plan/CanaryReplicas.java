package dev.stagegate.release.plan;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * Replica arithmetic for a replica-based canary: traffic through the shared Service follows the share of
 * ready pods. The stable revision stays at full size and the canary adds pods, up to {@code maxSurge}
 * extra pods; a weight that would need more (e.g. 90% beside 10 stable pods is 90 canary pods) shrinks the
 * stable revision instead, keeping the total at replicas + maxSurge.
 */
public final class CanaryReplicas {
  private CanaryReplicas() {}

  /** Pods per revision for one stage. */
  public record Split(int canary, int stable) {}

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

  /**
   * The stage's pods: the stable revision at full size while the canary needs at most {@code surge} extra pods,
   * otherwise replicas + surge pods split by the weight (at least one of each). At 100% the canary gets full size
   * and the stable revision's scale-down is the planner's (once the canary is ready).
   */
  public static Split split(int replicas, int weight, int surge) {
    if (weight >= 100) {
      return new Split(replicas, replicas);
    }
    int canary = forWeight(replicas, weight);
    int room = Math.max(1, surge);
    if (canary <= room) {
      return new Split(canary, replicas);
    }
    int total = replicas + room;
    int capped = Math.min(total - 1, Math.max(1, (int) Math.round(weight * total / 100.0)));
    return new Split(capped, total - capped);
  }

  /**
   * maxSurge in pods: a percentage of replicas rounds up, as a Deployment's does; absent means 100%.
   * Unparseable values count as 100% here; the validator has already refused them.
   */
  public static int surgePods(IntOrString maxSurge, int replicas) {
    if (maxSurge == null) {
      return replicas;
    }
    if (maxSurge.getIntVal() != null) {
      return maxSurge.getIntVal();
    }
    String text = maxSurge.getStrVal() == null ? "" : maxSurge.getStrVal().trim();
    try {
      if (text.endsWith("%")) {
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        return (int) Math.ceil(percent * replicas / 100.0);
      }
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return replicas;
    }
  }

  /**
   * The stable revision's pods while a stage below 100% runs: it shrinks towards its split only as canary pods
   * become ready, so the release never serves with fewer ready pods than it had.
   */
  public static int stableDuringStage(Split split, int replicas, int canaryReady) {
    int total = split.canary() + split.stable();
    return Math.max(split.stable(), Math.min(replicas, total - canaryReady));
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
