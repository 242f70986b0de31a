package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** An HTTPRoute and a GRPCRoute steered together are observed as one. */
class RouteObservationsTest {
  private static final BackendWeights FIVE = new BackendWeights(19, 1);
  private static final RouteAcceptance ACCEPTED = new RouteAcceptance(RouteAcceptance.State.ACCEPTED, "accepted");

  private static TrafficRouter.Observation seen(BackendWeights w, boolean header, RouteAcceptance a) {
    return new TrafficRouter.Observation(FIVE, Optional.ofNullable(w), header, a);
  }

  @Test
  @DisplayName("given both routes at 19/1 and accepted, then the stage is in effect")
  void bothWritten() {
    var both = RouteObservations.combine(seen(FIVE, false, ACCEPTED), seen(FIVE, false, ACCEPTED));

    assertThat(both.inEffect()).isTrue();
  }

  @Test
  @DisplayName("given the HTTPRoute at 19/1 and the GRPCRoute still at 1/0, then the stage is not in effect, the canary is not idle, and the message names both")
  void oneBehind() {
    var both = RouteObservations.combine(seen(FIVE, false, ACCEPTED),
        seen(BackendWeights.ALL_STABLE, false, ACCEPTED));

    assertThat(both.inEffect()).isFalse();
    assertThat(both.acceptance().state()).isEqualTo(RouteAcceptance.State.PENDING);
    assertThat(both.acceptance().message()).contains("HTTPRoute 19/1", "GRPCRoute 1/0");
    assertThat(both.written()).hasValue(FIVE);
  }

  @Test
  @DisplayName("given the GRPCRoute alone still carries the header rule after a rollback, then the canary stays reachable")
  void headerRuleInEitherKeepsTheCanary() {
    var both = RouteObservations.combine(seen(BackendWeights.ALL_STABLE, false, ACCEPTED),
        seen(BackendWeights.ALL_STABLE, true, ACCEPTED));

    assertThat(both.headerRule()).isTrue();
    assertThat(TrafficRouter.canaryMayScaleDown(both, Optional.of(java.time.Instant.EPOCH),
        java.time.Duration.ZERO, java.time.Instant.EPOCH.plusSeconds(60))).isFalse();
  }

  @Test
  @DisplayName("given the gateway refuses the GRPCRoute, then the stage holds with the GRPCRoute's condition")
  void refusedGrpcRoute() {
    var both = RouteObservations.combine(seen(FIVE, false, ACCEPTED), seen(FIVE, false,
        new RouteAcceptance(RouteAcceptance.State.REFUSED, "gateway public reports Accepted=False (NotAllowed)")));

    assertThat(both.inEffect()).isFalse();
    assertThat(both.acceptance().message()).startsWith("GRPCRoute: gateway public reports Accepted=False");
  }
}
