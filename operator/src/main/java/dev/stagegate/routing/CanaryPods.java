package dev.stagegate.routing;

/**
 * How many canary pods a routed stage needs. With traffic routing the share comes from the route, not from the pod
 * count, so the canary only needs the pods that carry its share: the stage's own {@code canaryReplicas} when given,
 * else the same share of the full replica count, rounded up. Never zero while any request can reach it.
 */
public final class CanaryPods {
  private CanaryPods() {}

  /**
   * @param stageCanaryReplicas the stage's {@code canaryReplicas}, or null
   * @param replicas            the Release's full replica count
   */
  public static int forStage(Integer stageCanaryReplicas, TrafficStep step, int replicas) {
    if (!step.sendsToCanary()) {
      return 0;
    }
    if (stageCanaryReplicas != null) {
      return Math.max(1, stageCanaryReplicas);
    }
    long share = (long) Math.ceil(replicas * step.weights().canaryShare() - 1e-9);
    return (int) Math.max(1, Math.min(replicas, share));
  }
}
