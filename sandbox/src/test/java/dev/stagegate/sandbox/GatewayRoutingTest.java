package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sandbox's traffic path end to end: a real kube-apiserver, a real Traefik reading HTTPRoutes and the
 * EndpointSlices {@link FakeEndpoints} writes, and real HTTP requests answered by simulated pods in a network
 * namespace of this run. What the operator's traffic routing relies on is measured here, not assumed: the share
 * the gateway really sends for a weight, header matches, and that weight 0 drains a backend before its pods go.
 */
@Tag("apiserver")
@Tag("gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayRoutingTest {
  private static final String NS = "routing";
  private static final String REVISION_LABEL = "stagegate.dev/revision";
  private static final int REQUESTS = 2000;
  private static final int CONCURRENCY = 8;
  /** Traefik rebuilds its routing about 1.5-2 s after a change; the wait only bounds a hang. */
  private static final Duration PROPAGATION = Duration.ofSeconds(30);

  private static RealApiServer apiServer;
  private static KubernetesClient client;
  private static GatewayStack stack;
  private static FakeKubelet kubelet;

  @BeforeAll
  static void start() {
    GatewayTier.require();
    apiServer = RealApiServer.start();
    client = apiServer.client;
    stack = GatewayStack.start(client, apiServer.kubeconfigYaml(), NS);
    kubelet = FakeKubelet.builder(client).inNamespace(NS).onReadinessChange(stack.endpoints()).build().start();
    client.resource(revision("v1", 2)).serverSideApply();
    client.resource(revision("v2", 1)).serverSideApply();
    client.resource(service("web-stable", "v1")).serverSideApply();
    client.resource(service("web-canary", "v2")).serverSideApply();
    await().atMost(PROPAGATION).until(() -> stack.endpoints().addresses(NS, "web-stable").size() == 2
        && stack.endpoints().addresses(NS, "web-canary").size() == 1);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {kubelet, stack, apiServer}) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          System.err.println("could not stop " + part + ": " + e);
        }
      }
    }
  }

  @Order(1)
  @ParameterizedTest(name = "stable {0} / canary {1}")
  @CsvSource({"99, 1", "95, 5", "50, 50"})
  @DisplayName("Given weights stable/canary in the HTTPRoute, when 2000 requests go through the gateway, then the canary answers its weight's share within 3 sigma")
  void weightedShares(int stableWeight, int canaryWeight) {
    applyRoute(weightedRoute(stableWeight, canaryWeight));
    awaitApplied(stableWeight, canaryWeight);

    GatewayLoad.Tally tally = stack.load().send(REQUESTS, CONCURRENCY, Map.of());

    double expected = (double) canaryWeight / (stableWeight + canaryWeight);
    double tolerance = 3 * Math.sqrt(expected * (1 - expected) / REQUESTS);
    double measured = tally.share("v2");
    System.out.printf("| weights %3d/%-3d | canary share %6.2f%% | expected %6.2f%% +- %.2f%% | %s |%n",
        stableWeight, canaryWeight, 100 * measured, 100 * expected, 100 * tolerance, tally.byStatus());
    assertThat(tally.errors()).as("5xx or unanswered requests").isZero();
    assertThat(tally.share("v1") + measured).isEqualTo(1.0);
    assertThat(measured).isBetween(expected - tolerance, expected + tolerance);
  }

  @Test
  @Order(2)
  @DisplayName("Given a rule matching header x-canary: true to the canary before the stable-only rule, then only requests with the header reach the canary")
  void headerOnlyRouting() {
    applyRoute(headerRoute());
    await().atMost(PROPAGATION).until(() -> stack.load().send(20, 2, Map.of("x-canary", "true")).share("v2") == 1.0);

    GatewayLoad.Tally withHeader = stack.load().send(400, CONCURRENCY, Map.of("x-canary", "true"));
    GatewayLoad.Tally without = stack.load().send(400, CONCURRENCY, Map.of());

    System.out.printf("| header x-canary: true | %s | without | %s |%n", withHeader.byRevision(), without.byRevision());
    assertThat(withHeader.byRevision()).isEqualTo(Map.of("v2", 400L));
    assertThat(without.byRevision()).isEqualTo(Map.of("v1", 400L));
  }

  @Test
  @Order(3)
  @DisplayName("Given a canary at weight 50, when its weight goes to 0 and only then its pods go away, then no request fails")
  void zeroWeightBeforeScaleDown() {
    applyRoute(weightedRoute(50, 50));
    awaitApplied(50, 50);

    GatewayLoad.Steady steady = stack.load().steady(Map.of());
    applyRoute(weightedRoute(100, 0));
    awaitApplied(100, 0);
    scale("v2", 0);
    await().atMost(PROPAGATION).until(() -> stack.endpoints().addresses(NS, "web-canary").isEmpty());
    GatewayLoad.Tally after = stack.load().send(200, CONCURRENCY, Map.of());
    GatewayLoad.Tally during = steady.stop();

    System.out.printf("| weight 0, then scale down | during %s | after %s |%n", during.byStatus(), after.byStatus());
    assertThat(during.count()).isPositive();
    assertThat(during.errors() + after.errors()).as("5xx or unanswered requests").isZero();
    assertThat(after.byRevision()).isEqualTo(Map.of("v1", 200L));
    scale("v2", 1);
    await().atMost(PROPAGATION).until(() -> stack.endpoints().addresses(NS, "web-canary").size() == 1);
  }

  @Test
  @Order(4)
  @DisplayName("Given a canary at weight 50, when its pods go away while the route still sends it traffic, then the gateway answers 5xx (the failure the ordering above prevents)")
  void scaleDownUnderWeightFails() {
    applyRoute(weightedRoute(50, 50));
    awaitApplied(50, 50);
    await().atMost(PROPAGATION).until(() -> stack.load().send(50, 2, Map.of()).share("v2") > 0);

    scale("v2", 0);
    await().atMost(PROPAGATION).until(() -> stack.endpoints().addresses(NS, "web-canary").isEmpty());
    GatewayLoad.Tally after = stack.load().send(200, CONCURRENCY, Map.of());

    System.out.printf("| scale down at weight 50 | after %s |%n", after.byStatus());
    assertThat(after.errors()).as("requests still weighted to the removed canary").isPositive();
    assertThat(after.count(r -> "v2".equals(r.revision()))).isZero();
  }

  @Test
  @Order(5)
  @DisplayName("Given weight changes, then the route reports Accepted for the new generation well before the gateway routes by it (printed: why the operator waits scaleDownDelay, not for Accepted)")
  void propagationAfterTheApiAck() {
    System.out.println("| change | API ack -> Accepted (ms) | API ack -> gateway routes by it (ms) |");
    int[][] changes = {{90, 10}, {100, 0}, {50, 50}, {100, 0}};
    for (int[] w : changes) {
      long ack = System.nanoTime();
      long generation = applyRoute(weightedRoute(w[0], w[1]));
      long[] accepted = {-1};
      long[] applied = {-1};
      await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(10)).until(() -> {
        if (accepted[0] < 0 && acceptedAt(generation)) {
          accepted[0] = System.nanoTime();
        }
        if (applied[0] < 0 && appliedNow(w[0], w[1])) {
          applied[0] = System.nanoTime();
        }
        return accepted[0] > 0 && applied[0] > 0;
      });
      System.out.printf("| %d/%d | %d | %d |%n", w[0], w[1], (accepted[0] - ack) / 1_000_000,
          (applied[0] - ack) / 1_000_000);
    }
  }

  private static boolean acceptedAt(long generation) {
    HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(NS).withName("web").get();
    return route.getStatus() != null && route.getStatus().getParents().stream()
        .flatMap(p -> p.getConditions().stream())
        .anyMatch(c -> "Accepted".equals(c.getType()) && "True".equals(c.getStatus())
            && c.getObservedGeneration() != null && c.getObservedGeneration() >= generation);
  }

  private static void awaitApplied(int stableWeight, int canaryWeight) {
    await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(100)).until(() -> appliedNow(stableWeight, canaryWeight));
  }

  private static boolean appliedNow(int stableWeight, int canaryWeight) {
    String stable = TraefikGateway.serviceName(NS, "web-stable", 80);
    String canary = TraefikGateway.serviceName(NS, "web-canary", 80);
    return stack.gateway().appliedWeights().values().stream().anyMatch(children ->
        weightOf(children, stable) == stableWeight && weightOf(children, canary) == canaryWeight);
  }

  /** A weighted child Traefik dropped (weight 0) counts as 0. */
  private static int weightOf(Map<String, Integer> children, String service) {
    return children.entrySet().stream().filter(e -> e.getKey().startsWith(service))
        .mapToInt(Map.Entry::getValue).findFirst().orElse(0);
  }

  /** Returns the route's generation after the write. */
  private static long applyRoute(String yaml) {
    return client.resource(yaml).fieldManager("gateway-routing-test").forceConflicts().serverSideApply()
        .getMetadata().getGeneration();
  }

  private static String weightedRoute(int stableWeight, int canaryWeight) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - backendRefs:
            - {name: web-stable, port: 80, weight: %d}
            - {name: web-canary, port: 80, weight: %d}
        """.formatted(NS, GatewayStack.GATEWAY, stableWeight, canaryWeight);
  }

  private static String headerRoute() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - matches: [{headers: [{name: x-canary, value: "true"}]}]
            backendRefs: [{name: web-canary, port: 80, weight: 1}]
          - backendRefs:
            - {name: web-stable, port: 80, weight: 1}
            - {name: web-canary, port: 80, weight: 0}
        """.formatted(NS, GatewayStack.GATEWAY);
  }

  private static Deployment revision(String revision, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("web-" + revision).withNamespace(NS).endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().addToMatchLabels("app", "web").addToMatchLabels(REVISION_LABEL, revision).endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", "web").addToLabels(REVISION_LABEL, revision).endMetadata()
            .withNewSpec().addNewContainer().withName("web").withImage("web:" + revision).endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static String service(String name, String revision) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {app: web, %s: %s}
          ports: [{name: http, port: 80, targetPort: 8080}]
        """.formatted(name, NS, REVISION_LABEL, revision);
  }

  private static void scale(String revision, int replicas) {
    Conflicts.retry(() -> client.apps().deployments().inNamespace(NS).withName("web-" + revision)
        .edit(d -> { d.getSpec().setReplicas(replicas); return d; }));
  }

}
