package dev.stagegate.routing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What the route should do during one stage: split the traffic with {@code weights}, and, when
 * {@code headerMatches} is not empty, send every request carrying all of those headers to the canary.
 */
public record TrafficStep(BackendWeights weights, List<HeaderMatch> headerMatches) {
  public TrafficStep {
    Objects.requireNonNull(weights, "weights");
    headerMatches = List.copyOf(headerMatches);
  }

  public static TrafficStep weighted(BackendWeights weights) {
    return new TrafficStep(weights, List.of());
  }

  public static TrafficStep canaryPercent(String percent) {
    return weighted(BackendWeights.forCanaryPercent(new BigDecimal(percent), "weight"));
  }

  /** Only requests with these headers reach the canary; public traffic stays on stable. */
  public static TrafficStep headerOnly(List<HeaderMatch> matches) {
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("a header-only step needs at least one header match");
    }
    return new TrafficStep(BackendWeights.ALL_STABLE, matches);
  }

  /** Everything on stable, no header rule: before a canary, after a rollback or abort. */
  public static TrafficStep allStable() {
    return weighted(BackendWeights.ALL_STABLE);
  }

  public TrafficStep withHeaderMatches(List<HeaderMatch> matches) {
    return new TrafficStep(weights, matches);
  }

  /** Whether any request can reach the canary in this step (then it must have ready pods). */
  public boolean sendsToCanary() {
    return weights.canary() > 0 || !headerMatches.isEmpty();
  }
}
