package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.routing.RoutingSequence.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pods before traffic, traffic away before pods: the sequence as a truth table. */
class RoutingSequenceTest {
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80);
  private static final Instant NOW = Instant.parse("2026-12-06T01:00:00Z");
  private static final RouteAcceptance ACCEPTED = new RouteAcceptance(RouteAcceptance.State.ACCEPTED, "ok");
  private static final TrafficStep ONE_PERCENT = TrafficStep.canaryPercent("1");

  @Test
  @DisplayName("Given a 1% stage and no canary pod yet, then the canary is scaled up first and the route is not touched")
  void podsBeforeTraffic() {
    RoutingSequence.Action a = RoutingSequence.next(ONE_PERCENT, ROUTING, 1, 0, 0,
        route(BackendWeights.ALL_STABLE, false, ACCEPTED), Optional.empty(), NOW);
    assertThat(a.kind()).isEqualTo(Kind.SCALE_CANARY_UP);
    assertThat(a.canaryPods()).isEqualTo(1);
  }

  @Test
  @DisplayName("Given a ready canary pod, then the route is written, then the stage waits for the gateway, then it is in effect")
  void routeThenGatewayThenInEffect() {
    assertThat(RoutingSequence.next(ONE_PERCENT, ROUTING, 1, 1, 1, route(BackendWeights.ALL_STABLE, false, ACCEPTED),
        Optional.empty(), NOW).kind()).isEqualTo(Kind.WRITE_ROUTE);
    RoutingSequence.Action refused = RoutingSequence.next(ONE_PERCENT, ROUTING, 1, 1, 1,
        route(new BackendWeights(99, 1), false, new RouteAcceptance(RouteAcceptance.State.REFUSED,
            "gateway public reports Accepted=False (NotAllowedByListeners): ")), Optional.empty(), NOW);
    assertThat(refused.kind()).isEqualTo(Kind.WAIT_FOR_GATEWAY);
    assertThat(refused.message()).contains("Accepted=False");
    assertThat(RoutingSequence.next(ONE_PERCENT, ROUTING, 1, 1, 1, route(new BackendWeights(99, 1), false, ACCEPTED),
        Optional.empty(), NOW).kind()).isEqualTo(Kind.IN_EFFECT);
  }

  @Test
  @DisplayName("Given a rollback of a 50% canary with 2 pods, then weight 0 is written first, the pods stay for scaleDownDelay, then go")
  void rollbackOrder() {
    TrafficStep stable = TrafficStep.allStable();
    assertThat(RoutingSequence.next(stable, ROUTING, 0, 2, 2, route(new BackendWeights(1, 1), false, ACCEPTED),
        Optional.empty(), NOW).kind()).isEqualTo(Kind.WRITE_ROUTE);

    RoutingSequence.Action wait = RoutingSequence.next(stable, ROUTING, 0, 2, 2,
        route(BackendWeights.ALL_STABLE, false, ACCEPTED), Optional.of(NOW), NOW.plusSeconds(1));
    assertThat(wait.kind()).isEqualTo(Kind.WAIT_BEFORE_SCALE_DOWN);
    assertThat(wait.notBefore()).contains(NOW.plus(Duration.ofSeconds(30)));

    assertThat(RoutingSequence.next(stable, ROUTING, 0, 2, 2, route(BackendWeights.ALL_STABLE, false, ACCEPTED),
        Optional.of(NOW), NOW.plusSeconds(30)).kind()).isEqualTo(Kind.SCALE_CANARY_DOWN);
  }

  @Test
  @DisplayName("Given a header-only stage, then the canary needs a pod although its weight is 0, and the header rule must be in the route")
  void headerOnlyNeedsAPod() {
    TrafficStep header = TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true")));
    assertThat(CanaryPods.forStage(null, header, 10)).isEqualTo(1);
    assertThat(RoutingSequence.next(header, ROUTING, 1, 1, 1, route(BackendWeights.ALL_STABLE, false, ACCEPTED),
        Optional.empty(), NOW).kind()).isEqualTo(Kind.WRITE_ROUTE);
    assertThat(RoutingSequence.next(header, ROUTING, 1, 1, 1, route(BackendWeights.ALL_STABLE, true, ACCEPTED),
        Optional.empty(), NOW).kind()).isEqualTo(Kind.IN_EFFECT);
  }

  @Test
  @DisplayName("Given a routed stage, then the canary runs only the pods its share needs, at least one, or the stage's canaryReplicas")
  void canaryPods() {
    assertThat(CanaryPods.forStage(null, TrafficStep.canaryPercent("1"), 10)).isEqualTo(1);
    assertThat(CanaryPods.forStage(null, TrafficStep.canaryPercent("25"), 10)).isEqualTo(3);
    assertThat(CanaryPods.forStage(null, TrafficStep.canaryPercent("100"), 10)).isEqualTo(10);
    assertThat(CanaryPods.forStage(0, TrafficStep.canaryPercent("5"), 10)).as("never zero while weighted").isEqualTo(1);
    assertThat(CanaryPods.forStage(4, TrafficStep.canaryPercent("5"), 10)).isEqualTo(4);
    assertThat(CanaryPods.forStage(null, TrafficStep.allStable(), 10)).isZero();
  }

  private static TrafficRouter.Observation route(BackendWeights written, boolean headerRule, RouteAcceptance a) {
    return new TrafficRouter.Observation(written, Optional.of(written), headerRule, a);
  }
}
