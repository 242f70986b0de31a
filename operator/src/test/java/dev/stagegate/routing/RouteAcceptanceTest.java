package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The gateway's verdict as a truth table over the route's status. */
class RouteAcceptanceTest {

  @Test
  @DisplayName("Given no status yet, then the route is pending")
  void noStatus() {
    RouteAcceptance a = RouteAcceptance.of(route(3, List.of()));
    assertThat(a.state()).isEqualTo(RouteAcceptance.State.PENDING);
    assertThat(a.message()).contains("status.parents is empty");
  }

  @Test
  @DisplayName("Given Accepted and ResolvedRefs True for the current generation, then the route is accepted")
  void accepted() {
    assertThat(RouteAcceptance.of(route(3, List.of(c("Accepted", "True", 3), c("ResolvedRefs", "True", 3)))).state())
        .isEqualTo(RouteAcceptance.State.ACCEPTED);
  }

  @Test
  @DisplayName("Given conditions for an older generation, then the route is pending: the gateway has not seen the change")
  void staleGeneration() {
    RouteAcceptance a = RouteAcceptance.of(route(4, List.of(c("Accepted", "True", 3), c("ResolvedRefs", "True", 3))));
    assertThat(a.state()).isEqualTo(RouteAcceptance.State.PENDING);
    assertThat(a.message()).contains("generation 3, not yet for 4");
  }

  @Test
  @DisplayName("Given ResolvedRefs False, then the route is refused with a message naming the condition and its reason")
  void refused() {
    Condition bad = c("ResolvedRefs", "False", 3);
    bad.setReason("BackendNotFound");
    bad.setMessage("Service shop-canary not found");
    RouteAcceptance a = RouteAcceptance.of(route(3, List.of(c("Accepted", "True", 3), bad)));
    assertThat(a.state()).isEqualTo(RouteAcceptance.State.REFUSED);
    assertThat(a.message()).isEqualTo("gateway public reports ResolvedRefs=False (BackendNotFound): "
        + "Service shop-canary not found");
  }

  private static Condition c(String type, String status, long generation) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(type)
        .withObservedGeneration(generation).withLastTransitionTime("2026-12-06T00:00:00Z").build();
  }

  private static HTTPRoute route(long generation, List<Condition> conditions) {
    HTTPRouteBuilder b = new HTTPRouteBuilder()
        .withNewMetadata().withName("shop").withNamespace("shop").withGeneration(generation).endMetadata()
        .withNewSpec().endSpec();
    if (!conditions.isEmpty()) {
      b.withNewStatus().withParents(new RouteParentStatusBuilder()
          .withControllerName("traefik.io/gateway-controller")
          .withNewParentRef().withName("public").endParentRef()
          .withConditions(conditions).build()).endStatus();
    }
    return b.build();
  }
}
