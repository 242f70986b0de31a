package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A GRPCRoute steered by the HTTPRoute rules engine through {@link GrpcRouteView}. */
class GrpcRouteViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 50051);

  /** An admin rule picking a gRPC service with a header filter, and the catch-all rule, both to stable. */
  private static GRPCRoute route() {
    return Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: shop, namespace: shop}
        spec:
          parentRefs: [{name: public}]
          rules:
          - matches:
            - method: {type: Exact, service: shop.Admin}
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: x-admin, value: "yes"}]}
            backendRefs: [{name: shop-stable, port: 50051}]
          - backendRefs: [{name: shop-stable, port: 50051}]
        """, GRPCRoute.class);
  }

  @Test
  @DisplayName("given a GRPCRoute and a 5% stage with a header match, then both rules split 19/1, each gets a header twin to the canary, and the gRPC method match and filter stay")
  void splitsLikeAnHttpRoute() {
    var rules = HttpRouteRules.apply(GrpcRouteView.asHttpRoute(route()).getSpec().getRules(), "shop", ROUTING,
        TrafficStep.canaryPercent("5").withHeaderMatches(List.of(new HeaderMatch("x-canary", "true"))));
    List<GRPCRouteRule> grpc = GrpcRouteView.grpcRules(rules).stream()
        .map(r -> JSON.convertValue(r, GRPCRouteRule.class)).toList();

    assertThat(grpc).hasSize(4);
    GRPCRouteRule adminTwin = grpc.get(0);
    assertThat(adminTwin.getName()).isEqualTo("stagegate-canary-by-header-0");
    assertThat(adminTwin.getMatches()).singleElement().satisfies(m -> {
      assertThat(m.getMethod().getService()).isEqualTo("shop.Admin");
      assertThat(m.getHeaders()).singleElement().satisfies(h -> {
        assertThat(h.getName()).isEqualTo("x-canary");
        assertThat(h.getType()).isEqualTo("Exact");
      });
    });
    assertThat(adminTwin.getBackendRefs()).extracting("name").containsExactly("shop-canary");
    GRPCRouteRule admin = grpc.get(1);
    assertThat(admin.getMatches()).singleElement().satisfies(m -> assertThat(m.getMethod().getService())
        .isEqualTo("shop.Admin"));
    assertThat(admin.getFilters()).singleElement().satisfies(f -> assertThat(f.getType())
        .isEqualTo("RequestHeaderModifier"));
    assertThat(admin.getBackendRefs()).extracting("name", "port", "weight")
        .containsExactly(org.assertj.core.groups.Tuple.tuple("shop-stable", 50051, 19),
            org.assertj.core.groups.Tuple.tuple("shop-canary", 50051, 1));
    assertThat(grpc.get(2).getName()).isEqualTo("stagegate-canary-by-header-1");
    assertThat(grpc.get(3).getBackendRefs()).extracting("weight").containsExactly(19, 1);
  }

  @Test
  @DisplayName("given a GRPCRoute, when its rules go through the view and back unchanged, then they are the same JSON (no write when nothing changes)")
  void roundTripIsLossless() {
    GRPCRoute route = route();

    Object back = GrpcRouteView.grpcRules(GrpcRouteView.asHttpRoute(route).getSpec().getRules());

    com.fasterxml.jackson.databind.JsonNode expected = JSON.valueToTree(route.getSpec().getRules());
    com.fasterxml.jackson.databind.JsonNode actual = JSON.valueToTree(back);
    assertThat(actual).isEqualTo(expected);
  }
}
