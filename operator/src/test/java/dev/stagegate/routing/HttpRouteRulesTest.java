package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The route rewrite on its own: only the operator's backendRefs and header rule ever change. */
class HttpRouteRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80);

  /** A route a team would write: an admin rule of its own, and the shop rule with a filter and a mirror backend. */
  private static final String ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: shop, namespace: shop}
      spec:
        parentRefs: [{name: public}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /admin}}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {add: [{name: x-admin, value: "1"}]}
          backendRefs: [{name: admin, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /}, method: GET}]
          filters:
          - type: ResponseHeaderModifier
            responseHeaderModifier: {set: [{name: x-served-by, value: shop}]}
          backendRefs:
          - {name: shop-stable, port: 80, weight: 1}
          - {name: shop-legacy, port: 80, weight: 0}
      """;

  @Test
  @DisplayName("Given a split rule without the canary, when a 5% step is applied, then the canary is added next to stable at 19/1 and everything else is untouched")
  void weightedStep() {
    List<HTTPRouteRule> before = rules(ROUTE);

    List<HTTPRouteRule> after = HttpRouteRules.apply(before, "shop", ROUTING, TrafficStep.canaryPercent("5"));

    assertThat(after).hasSize(2);
    assertThat(json(after.get(0))).isEqualTo(json(before.get(0)));
    HTTPRouteRule split = after.get(1);
    assertThat(json(split.getMatches())).isEqualTo(json(before.get(1).getMatches()));
    assertThat(json(split.getFilters())).isEqualTo(json(before.get(1).getFilters()));
    assertThat(split.getBackendRefs()).extracting(HTTPBackendRef::getName, HTTPBackendRef::getWeight)
        .containsExactly(tuple("shop-stable", 19), tuple("shop-canary", 1), tuple("shop-legacy", 0));
    assertThat(HttpRouteRules.observedWeights(after, "shop", ROUTING)).contains(new BackendWeights(19, 1));
    assertThat(json(before)).as("the input is not modified").isEqualTo(json(rules(ROUTE)));
  }

  @Test
  @DisplayName("Given a route already at the step's weights, then applying it again gives the same rules (no write needed)")
  void idempotent() {
    List<HTTPRouteRule> once = HttpRouteRules.apply(rules(ROUTE), "shop", ROUTING, TrafficStep.canaryPercent("1"));
    List<HTTPRouteRule> twice = HttpRouteRules.apply(once, "shop", ROUTING, TrafficStep.canaryPercent("1"));
    assertThat(json(twice)).isEqualTo(json(once));
  }

  @Test
  @DisplayName("Given a header-only step, then a header rule copying the split rule's matches and filters sends matching requests to the canary, and public traffic stays on stable")
  void headerOnlyStep() {
    TrafficStep step = TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true")));

    List<HTTPRouteRule> after = HttpRouteRules.apply(rules(ROUTE), "shop", ROUTING, step);

    assertThat(after).hasSize(3);
    HTTPRouteRule header = after.get(1);
    assertThat(header.getName()).isEqualTo(HttpRouteRules.HEADER_RULE_NAME + "-0");
    assertThat(header.getMatches()).hasSize(1);
    assertThat(header.getMatches().get(0).getPath().getValue()).isEqualTo("/");
    assertThat(header.getMatches().get(0).getMethod()).isEqualTo("GET");
    assertThat(header.getMatches().get(0).getHeaders())
        .extracting(h -> h.getType() + " " + h.getName() + "=" + h.getValue()).containsExactly("Exact x-canary=true");
    assertThat(json(header.getFilters())).isEqualTo(json(after.get(2).getFilters()));
    assertThat(header.getBackendRefs()).extracting(HTTPBackendRef::getName, HTTPBackendRef::getWeight)
        .containsExactly(tuple("shop-canary", 1));
    assertThat(HttpRouteRules.observedWeights(after, "shop", ROUTING)).contains(BackendWeights.ALL_STABLE);
    assertThat(HttpRouteRules.hasHeaderRule(after)).isTrue();
  }

  @Test
  @DisplayName("Given a cookie step (canary=always) at weight 0, then the twin rule matches the Cookie header by regular expression and sends it to the canary; public traffic stays on stable")
  void cookieStep() {
    TrafficStep step = TrafficStep.headerOnly(List.of(new CookieMatch("canary", "always").asHeader()));

    List<HTTPRouteRule> after = HttpRouteRules.apply(rules(ROUTE), "shop", ROUTING, step);

    HTTPRouteRule twin = after.get(1);
    assertThat(twin.getName()).isEqualTo(HttpRouteRules.HEADER_RULE_NAME + "-0");
    assertThat(twin.getMatches().get(0).getHeaders())
        .extracting(h -> h.getType() + " " + h.getName() + "=" + h.getValue())
        .containsExactly("RegularExpression Cookie=^(?:.*;\\s*)?canary=always(?:;.*)?$");
    assertThat(twin.getBackendRefs()).extracting(HTTPBackendRef::getName).containsExactly("shop-canary");
    assertThat(HttpRouteRules.observedWeights(after, "shop", ROUTING)).contains(BackendWeights.ALL_STABLE);
  }

  @Test
  @DisplayName("Given a split rule that already matches the Cookie header, when a cookie step is applied, then the error names the header (a match holds one entry per header name)")
  void cookieClashesWithTheRulesOwnMatch() {
    String route = ROUTE.replace("method: GET}", "method: GET, headers: [{name: cookie, value: team=a}]}");

    assertThatThrownBy(() -> HttpRouteRules.apply(rules(route), "shop", ROUTING,
        TrafficStep.headerOnly(List.of(new CookieMatch("canary", "always").asHeader()))))
        .isInstanceOf(RouteShapeException.class)
        .hasMessageStartingWith("has a rule that already matches header 'Cookie'");
  }

  @Test
  @DisplayName("Given a header rule from an earlier stage, when a weighted step follows, then the header rule is removed")
  void headerRuleRemoved() {
    List<HTTPRouteRule> withHeader = HttpRouteRules.apply(rules(ROUTE), "shop", ROUTING,
        TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true"))));

    List<HTTPRouteRule> after = HttpRouteRules.apply(withHeader, "shop", ROUTING, TrafficStep.canaryPercent("10"));

    assertThat(after).hasSize(2);
    assertThat(HttpRouteRules.hasHeaderRule(after)).isFalse();
    assertThat(HttpRouteRules.observedWeights(after, "shop", ROUTING)).contains(new BackendWeights(9, 1));
  }

  @Test
  @DisplayName("Given two rules naming the stable Service (two paths), when a header-only step is applied, then each gets its own header twin, so the header reaches the canary on every path stable serves")
  void headerTwinPerSplitRule() {
    String route = ROUTE.replace("backendRefs: [{name: admin, port: 8080}]", "backendRefs: [{name: shop-stable, port: 80}]");

    List<HTTPRouteRule> after = HttpRouteRules.apply(rules(route), "shop", ROUTING,
        TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true"))));

    assertThat(after).extracting(HTTPRouteRule::getName).containsExactly(
        HttpRouteRules.HEADER_RULE_NAME + "-0", null, HttpRouteRules.HEADER_RULE_NAME + "-1", null);
    assertThat(after.get(0).getMatches().get(0).getPath().getValue()).isEqualTo("/admin");
    assertThat(after.get(2).getMatches().get(0).getPath().getValue()).isEqualTo("/");
  }

  @Test
  @DisplayName("Given a route whose header twins would exceed 16 rules, then the error says so")
  void tooManyRules() {
    StringBuilder route = new StringBuilder(ROUTE);
    for (int i = 0; i < 8; i++) {
      route.append("  - matches: [{path: {type: PathPrefix, value: /p").append(i)
          .append("}}]\n    backendRefs: [{name: shop-stable, port: 80}]\n");
    }
    assertThatThrownBy(() -> HttpRouteRules.apply(rules(route.toString()), "shop", ROUTING,
        TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true")))))
        .isInstanceOf(RouteShapeException.class)
        .hasMessage("would need 19 rules for a header-routed stage (one more per rule naming 'shop-stable');"
            + " the Gateway API allows at most 16");
  }

  @Test
  @DisplayName("Given a backendRef to a same-named Service in another namespace, then it is not the operator's and keeps its weight")
  void otherNamespaceNotOwned() {
    String route = ROUTE.replace("- {name: shop-legacy, port: 80, weight: 0}",
        "- {name: shop-canary, namespace: other, port: 80, weight: 7}");

    List<HTTPRouteRule> after = HttpRouteRules.apply(rules(route), "shop", ROUTING, TrafficStep.canaryPercent("50"));

    assertThat(after.get(1).getBackendRefs())
        .extracting(HTTPBackendRef::getName, HTTPBackendRef::getNamespace, HTTPBackendRef::getWeight)
        .containsExactly(tuple("shop-stable", null, 1), tuple("shop-canary", null, 1),
            tuple("shop-canary", "other", 7));
  }

  @Test
  @DisplayName("Given a route with no backendRef to the stable Service, then the error says what to add")
  void noSplitRule() {
    String route = ROUTE.replace("shop-stable", "somebody-else");
    assertThatThrownBy(() -> HttpRouteRules.apply(rules(route), "shop", ROUTING, TrafficStep.canaryPercent("1")))
        .isInstanceOf(RouteShapeException.class)
        .hasMessage("has no rule with a backendRef to Service 'shop-stable': add one (the operator sets its weight"
            + " and adds the canary Service 'shop-canary' next to it)");
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  static List<HTTPRouteRule> rules(String yaml) {
    return Serialization.unmarshal(yaml, HTTPRoute.class).getSpec().getRules();
  }

  private static String json(Object o) {
    return JSON.valueToTree(o).toString();
  }
}
