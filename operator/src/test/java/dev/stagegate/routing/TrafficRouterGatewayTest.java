package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagegate.sandbox.FakeKubelet;
import dev.stagegate.sandbox.GatewayLoad;
import dev.stagegate.sandbox.GatewayStack;
import dev.stagegate.sandbox.TraefikGateway;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link TrafficRouter} steering a real Traefik through a user's HTTPRoute on a real kube-apiserver: the Services
 * it creates select the revisions' pods, the weights it writes give the stage's share of real requests, the header
 * rule reaches the canary only with the header, the gateway's verdict comes from the route status, and a rollback
 * that writes weight 0 before removing the canary's pods loses no request.
 */
@Tag("apiserver")
@Tag("gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficRouterGatewayTest {
  private static final String NS = "router-gw";
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80);
  private static final Map<String, String> APP = Map.of("app", "shop");
  private static final int REQUESTS = 2000;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static KubernetesClient client;
  private static GatewayStack stack;
  private static FakeKubelet kubelet;
  private static TrafficRouter router;

  @BeforeAll
  static void start() {
    RealComponent.gatewayStack();
    client = RealApiServer.client();
    stack = GatewayStack.start(client, RealApiServer.kubeconfig(), NS);
    kubelet = FakeKubelet.builder(client).inNamespace(NS).onReadinessChange(stack.endpoints()).build().start();
    router = new TrafficRouter(client);
    client.resource(revision("r1", 2)).serverSideApply();
    client.resource(revision("r2", 1)).serverSideApply();
    router.applyServices(NS, ROUTING, APP, "r1", "r2", new IntOrString(8080), null);
    // The team's route: its own /health rule (to stable, with a filter) and the shop rule naming stable only.
    client.resource("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - matches: [{path: {type: Exact, value: /health}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier: {set: [{name: x-health, value: "yes"}]}
            backendRefs: [{name: shop-stable, port: 80}]
          - backendRefs: [{name: shop-stable, port: 80}]
        """.formatted(NS, GatewayStack.GATEWAY)).fieldManager("team").serverSideApply();
    await().atMost(WAIT).until(() -> stack.endpoints().addresses(NS, "shop-stable").size() == 2
        && stack.endpoints().addresses(NS, "shop-canary").size() == 1);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {kubelet, stack, client}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        System.err.println("could not stop " + part + ": " + e);
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("Given a header-only stage, then only requests with x-canary: true reach the canary, and the gateway accepts the route")
  void headerOnlyStage() {
    TrafficRouter.Observation o = router.route(NS, ROUTING,
        TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true"))));
    await().atMost(WAIT).until(() -> stack.load().send(20, 2, Map.of("x-canary", "true")).share("r2") == 1.0);
    await().atMost(WAIT).until(() -> router.observe(NS, ROUTING, o.requested()).inEffect());

    GatewayLoad.Tally with = stack.load().send(400, 8, Map.of("x-canary", "true"));
    GatewayLoad.Tally without = stack.load().send(400, 8, Map.of());

    System.out.printf("| header-only stage | with header %s | without %s |%n", with.byRevision(), without.byRevision());
    assertThat(with.byRevision()).isEqualTo(Map.of("r2", 400L));
    assertThat(without.byRevision()).isEqualTo(Map.of("r1", 400L));
  }

  @Test
  @Order(1)
  @DisplayName("Given a cookie-only stage (canary=always), then a request reaches the canary exactly when its Cookie header holds canary=always, wherever it stands among other cookies; a near miss stays on stable")
  void cookieOnlyStage() {
    TrafficRouter.Observation o = router.route(NS, ROUTING,
        TrafficStep.headerOnly(List.of(new CookieMatch("canary", "always").asHeader())));
    await().atMost(WAIT).until(() -> stack.load().send(20, 2, Map.of("Cookie", "canary=always")).share("r2") == 1.0);
    await().atMost(WAIT).until(() -> router.observe(NS, ROUTING, o.requested()).inEffect());

    Map<String, Map<String, Long>> byCookie = new java.util.LinkedHashMap<>();
    for (String cookie : List.of("canary=always", "a=1; canary=always; b=2", "a=1;canary=always", "canary=never",
        "canary=always2", "xcanary=always", "a=canary", "")) {
      GatewayLoad.Tally tally = stack.load().send(200, 8, cookie.isEmpty() ? Map.of() : Map.of("Cookie", cookie));
      byCookie.put(cookie, tally.byRevision());
      System.out.printf("| cookie-only stage | Cookie: %s | %s |%n", cookie.isEmpty() ? "(none)" : cookie,
          tally.byRevision());
    }
    assertThat(byCookie).containsEntry("canary=always", Map.of("r2", 200L))
        .containsEntry("a=1; canary=always; b=2", Map.of("r2", 200L))
        .containsEntry("a=1;canary=always", Map.of("r2", 200L))
        .containsEntry("canary=never", Map.of("r1", 200L))
        .containsEntry("canary=always2", Map.of("r1", 200L))
        .containsEntry("xcanary=always", Map.of("r1", 200L))
        .containsEntry("a=canary", Map.of("r1", 200L))
        .containsEntry("", Map.of("r1", 200L));
  }

  @Order(2)
  @ParameterizedTest(name = "{0}%")
  @ValueSource(strings = {"1", "5", "50"})
  @DisplayName("Given a weighted stage, when 2000 requests go through the gateway, then the canary's share is the stage's weight within 3 sigma, and the team's own rule still answers from stable with its filter")
  void weightedStage(String percent) {
    TrafficStep step = TrafficStep.canaryPercent(percent);
    router.route(NS, ROUTING, step);
    awaitApplied(step.weights());
    await().atMost(WAIT).until(() -> router.observe(NS, ROUTING, step.weights()).inEffect());

    GatewayLoad.Tally tally = stack.load().send(REQUESTS, 8, Map.of());

    double expected = step.weights().canaryShare();
    double tolerance = 3 * Math.sqrt(expected * (1 - expected) / REQUESTS);
    System.out.printf("| stage %5s%% | weights %s | canary share %6.2f%% (+- %.2f%%) | %s |%n", percent,
        step.weights(), 100 * tally.share("r2"), 100 * tolerance, tally.byStatus());
    assertThat(tally.errors()).isZero();
    assertThat(tally.share("r2")).isBetween(expected - tolerance, expected + tolerance);
    assertThat(HttpRouteRules.hasHeaderRule(route().getSpec().getRules())).isFalse();
    assertThat(route().getSpec().getRules().get(0).getFilters()).as("the team's /health rule").hasSize(1);
  }

  @Test
  @Order(3)
  @DisplayName("Given a bad canary at 50%, then the gateway's own Prometheus metrics count its 5xx per backend Service, matching what clients saw: the signal a check queries")
  void gatewayMetricsSeeTheBadCanary() {
    router.route(NS, ROUTING, TrafficStep.canaryPercent("50"));
    awaitApplied(new BackendWeights(1, 1));
    String canaryService = TraefikGateway.serviceName(NS, "shop-canary", 80) + "@kubernetesgateway";
    double before5xx = requests(canaryService, "5");
    double beforeAll = requests(canaryService, "");
    stack.pods().setErrorRate("r2", 0.5);
    try {
      GatewayLoad.Tally tally = stack.load().send(1000, 8, Map.of());

      long clientSaw5xx = tally.count(r -> "r2".equals(r.revision()) && r.status() == 500);
      long clientSawCanary = tally.count(r -> "r2".equals(r.revision()));
      double metric5xx = requests(canaryService, "5") - before5xx;
      double metricAll = requests(canaryService, "") - beforeAll;
      System.out.printf("| bad canary (50%% errors) at weight 50 | clients: %d of %d canary answers 500 | gateway metric"
          + " traefik_service_requests_total: %.0f 5xx of %.0f |%n", clientSaw5xx, clientSawCanary, metric5xx, metricAll);
      assertThat(clientSaw5xx).isPositive();
      assertThat(metric5xx).isEqualTo((double) clientSaw5xx);
      assertThat(metricAll).isEqualTo((double) clientSawCanary);
    } finally {
      stack.pods().setErrorRate("r2", 0.0);
    }
  }

  @Test
  @Order(4)
  @DisplayName("Given a canary at 50% under steady load, when it is rolled back by writing weight 0 and scaling it down once the gateway routes by it, then no request fails")
  void rollbackWithoutErrors() {
    router.route(NS, ROUTING, TrafficStep.canaryPercent("50"));
    awaitApplied(new BackendWeights(1, 1));

    GatewayLoad.Steady steady = stack.load().steady(Map.of());
    await().atMost(WAIT).until(() -> steady.soFar().count(r -> "r2".equals(r.revision())) > 20);
    TrafficRouter.Observation o = router.route(NS, ROUTING, TrafficStep.allStable());
    awaitApplied(BackendWeights.ALL_STABLE);
    assertThat(o.written()).contains(BackendWeights.ALL_STABLE);
    client.apps().deployments().inNamespace(NS).withName("shop-r2").scale(0);
    await().atMost(WAIT).until(() -> stack.endpoints().addresses(NS, "shop-canary").isEmpty());
    GatewayLoad.Tally after = stack.load().send(200, 8, Map.of());
    GatewayLoad.Tally during = steady.stop();

    System.out.printf("| rollback: weight 0, then scale down | during %s %s | after %s |%n",
        during.byRevision(), during.byStatus(), after.byStatus());
    assertThat(during.count(r -> "r2".equals(r.revision()))).as("the canary served before the rollback").isPositive();
    assertThat(during.errors() + after.errors()).as("5xx or unanswered").isZero();
    assertThat(after.byRevision()).isEqualTo(Map.of("r1", 200L));
  }

  @Test
  @Order(5)
  @DisplayName("Given the canary Service is missing, then the route is refused with a message naming ResolvedRefs, and the stage is not in effect")
  void refusedRoute() {
    client.services().inNamespace(NS).withName("shop-canary").delete();
    router.route(NS, ROUTING, TrafficStep.canaryPercent("5"));

    await().atMost(WAIT).until(() -> router.observe(NS, ROUTING, new BackendWeights(19, 1)).acceptance().state()
        == RouteAcceptance.State.REFUSED);
    TrafficRouter.Observation o = router.observe(NS, ROUTING, new BackendWeights(19, 1));
    System.out.printf("| missing canary Service | %s |%n", o.acceptance().message());
    assertThat(o.acceptance().message()).contains("ResolvedRefs=False");
    assertThat(o.inEffect()).isFalse();
  }

  /** Sum of traefik_service_requests_total for {@code service} over codes starting with {@code codePrefix}. */
  private static double requests(String service, String codePrefix) {
    double sum = 0;
    for (String line : stack.gateway().metrics().split("\n")) {
      if (line.startsWith("traefik_service_requests_total{") && line.contains("service=\"" + service + "\"")
          && line.contains("code=\"" + codePrefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static void awaitApplied(BackendWeights weights) {
    String stable = TraefikGateway.serviceName(NS, "shop-stable", 80);
    String canary = TraefikGateway.serviceName(NS, "shop-canary", 80);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
        stack.gateway().appliedWeights().values().stream().anyMatch(children ->
            weightOf(children, stable) == weights.stable() && weightOf(children, canary) == weights.canary()));
  }

  private static int weightOf(Map<String, Integer> children, String service) {
    return children.entrySet().stream().filter(e -> e.getKey().startsWith(service))
        .mapToInt(Map.Entry::getValue).findFirst().orElse(0);
  }

  private static io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute route() {
    return client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
        .inNamespace(NS).withName("shop").get();
  }

  private static Deployment revision(String revision, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("shop-" + revision).withNamespace(NS).endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().addToMatchLabels(APP).addToMatchLabels(ServiceSelectors.REVISION_LABEL, revision)
          .endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels(APP).addToLabels(ServiceSelectors.REVISION_LABEL, revision).endMetadata()
            .withNewSpec().addNewContainer().withName("shop").withImage("shop:" + revision).endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
