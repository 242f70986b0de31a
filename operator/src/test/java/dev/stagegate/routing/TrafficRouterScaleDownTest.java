package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** When the canary's pods may go: only once the route sends it nothing, and after the gateway had time to follow. */
class TrafficRouterScaleDownTest {
  private static final Instant T0 = Instant.parse("2026-12-06T01:00:00Z");
  private static final Duration DELAY = GatewayApiRouting.DEFAULT_SCALE_DOWN_DELAY;
  private static final RouteAcceptance ACCEPTED = new RouteAcceptance(RouteAcceptance.State.ACCEPTED, "ok");

  @Test
  @DisplayName("Given weight 0 written at T0, then the canary stays up until T0 + scaleDownDelay, even though the route is Accepted at once")
  void waitsForTheDelay() {
    TrafficRouter.Observation zero = observed(BackendWeights.ALL_STABLE, false);

    assertThat(TrafficRouter.canaryMayScaleDown(zero, Optional.of(T0), DELAY, T0.plusMillis(100))).isFalse();
    assertThat(TrafficRouter.canaryMayScaleDown(zero, Optional.of(T0), DELAY, T0.plus(DELAY).minusMillis(1))).isFalse();
    assertThat(TrafficRouter.canaryMayScaleDown(zero, Optional.of(T0), DELAY, T0.plus(DELAY))).isTrue();
  }

  @Test
  @DisplayName("Given the route still weights the canary, or still has a header rule, then it may not scale down however long ago")
  void neverWhileRouted() {
    Instant later = T0.plus(Duration.ofHours(1));
    assertThat(TrafficRouter.canaryMayScaleDown(observed(new BackendWeights(1, 1), false), Optional.of(T0), DELAY, later))
        .isFalse();
    assertThat(TrafficRouter.canaryMayScaleDown(observed(BackendWeights.ALL_STABLE, true), Optional.of(T0), DELAY, later))
        .isFalse();
    assertThat(TrafficRouter.canaryMayScaleDown(observed(BackendWeights.ALL_STABLE, false), Optional.empty(), DELAY, later))
        .as("no record of when the weight went to 0").isFalse();
  }

  @Test
  @DisplayName("Given a stage whose route holds other weights or is not accepted, then the stage is not in effect")
  void inEffect() {
    assertThat(observed(new BackendWeights(19, 1), false).inEffect()).isFalse();
    assertThat(new TrafficRouter.Observation(new BackendWeights(19, 1), Optional.of(new BackendWeights(38, 2)), false,
        ACCEPTED).inEffect()).isTrue();
    assertThat(new TrafficRouter.Observation(new BackendWeights(19, 1), Optional.of(new BackendWeights(19, 1)), false,
        new RouteAcceptance(RouteAcceptance.State.PENDING, "")).inEffect()).isFalse();
  }

  private static TrafficRouter.Observation observed(BackendWeights written, boolean headerRule) {
    return new TrafficRouter.Observation(BackendWeights.ALL_STABLE, Optional.of(written), headerRule, ACCEPTED);
  }
}
