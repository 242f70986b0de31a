package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.release.GatewayApiTraffic;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageMatch;
import dev.stagegate.api.release.TrafficRouting;
import dev.stagegate.routing.BackendWeights;
import dev.stagegate.sandbox.GatewayLoad;
import dev.stagegate.sandbox.GatewayStack;
import dev.stagegate.sandbox.TraefikGateway;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A Release with {@code spec.trafficRouting.gatewayAPI} run by the operator on a real kube-apiserver, its traffic
 * going through a real Traefik to simulated pods: the 5% stage is measured as the share of real responses, and an
 * abort moves the traffic back to stable before the canary's pod goes, with no 5xx; then the same Release's next
 * revision starts with a header-only stage (weight 0), its 5% stage survives a GitOps re-apply of the route, and a
 * GRPCRoute named later gets the same weights. The tests share one Traefik and run in order: starting the stack
 * costs more than any of them.
 */
@Tag("apiserver")
@Tag("gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseGatewayTest {
  private static final String NS = "release-gw";
  private static final int REQUESTS = 2000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static KubernetesClient client;
  private static GatewayStack stack;
  private static OperatorHarness harness;

  @BeforeAll
  static void start() {
    RealComponent.gatewayStack();
    client = RealApiServer.client();
    stack = GatewayStack.start(client, RealApiServer.kubeconfig(), NS);
    harness = new OperatorHarness(client, NS, OperatorSettings.forTests("http://127.0.0.1:9"),
        MetricsSources.prometheus("http://127.0.0.1:9", PrometheusAuth.none()))
        .onReadinessChange(stack.endpoints())
        .start();
    // The team's route: all traffic to the stable Service, which the operator creates.
    client.resource("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - backendRefs: [{name: shop-stable, port: 80}]
        """.formatted(NS, GatewayStack.GATEWAY)).fieldManager("team").serverSideApply();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {harness, stack, client}) {
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
  @DisplayName("given a routed Release at a 5% stage, then 5% of real responses come from the canary's single pod; when it is aborted, then the route goes back to 1/0 while the canary's pod still runs, and no request fails while the pod goes")
  void fivePercentThenAbort() {
    Release release = Releases.named("shop", NS).replicas(4).progressDeadline("2m")
        .manualStage("canary-5", 5, null).stage("full", 100, null).build();
    GatewayApiTraffic g = new GatewayApiTraffic();
    g.setHttpRoute("shop");
    g.setStableService("shop-stable");
    g.setCanaryService("shop-canary");
    g.setPort(80);
    g.setTargetPort(new IntOrString(8080));
    g.setScaleDownDelay("5s");
    release.getSpec().setTrafficRouting(new TrafficRouting(g));
    harness.apply(release);
    harness.awaitPhase("shop", ReleasePhase.Promoted, WAIT);
    await().atMost(WAIT).until(() -> stack.load().send(20, 2, Map.of()).errors() == 0);

    harness.changeImage("shop", "v2");
    Release atFive = harness.awaitStatus("shop", r -> r.getStatus().getCurrentStage() != null
        && r.getStatus().getCurrentStage().getReadyAt() != null, WAIT);
    String canary = atFive.getStatus().getCanaryRevision();
    String stable = atFive.getStatus().getStableRevision();
    assertThat(harness.replicasByRevision("shop")).containsEntry(canary, 1).containsEntry(stable, 4);
    assertThat(atFive.getStatus().getTrafficRouting().getRouteWeights()).isEqualTo("19/1");
    assertThat(atFive.getStatus().getTrafficRouting().getRoute()).isEqualTo("Accepted");
    awaitApplied(new BackendWeights(19, 1));

    GatewayLoad.Tally tally = stack.load().send(REQUESTS, 8, Map.of());
    double expected = 0.05;
    double tolerance = 3 * Math.sqrt(expected * (1 - expected) / REQUESTS);
    System.out.printf("| Release stage 5%% | weights 19/1 | canary share %6.2f%% (+- %.2f%%) | %s |%n",
        100 * tally.share(canary), 100 * tolerance, tally.byStatus());
    assertThat(tally.errors()).isZero();
    assertThat(tally.share(canary)).isBetween(expected - tolerance, expected + tolerance);

    GatewayLoad.Steady steady = stack.load().steady(Map.of());
    await().atMost(WAIT).until(() -> steady.soFar().count(r -> canary.equals(r.revision())) > 5);
    // When the API server told us the route's canary weight went to 0, and the canary Deployment's replicas.
    AtomicReference<Instant> routeAtZero = new AtomicReference<>();
    AtomicReference<Instant> podsAtZero = new AtomicReference<>();
    try (Watch routes = client.resources(HTTPRoute.class).inNamespace(NS).withName("shop")
            .watch(onEvent(r -> canaryWeight(r) == 0, routeAtZero));
        Watch deployments = client.apps().deployments().inNamespace(NS).withName("shop-" + canary)
            .watch(onEvent(d -> d.getSpec().getReplicas() == 0, podsAtZero))) {
      harness.annotate("shop", "abort");
      await().atMost(WAIT).until(() -> podsAtZero.get() != null);
    }
    await().atMost(WAIT).until(() -> stack.endpoints().addresses(NS, "shop-canary").isEmpty());
    GatewayLoad.Tally after = stack.load().send(200, 8, Map.of());
    GatewayLoad.Tally during = steady.stop();

    System.out.printf("| Release abort: route 1/0, then the pod goes | during %s %s | after %s |%n",
        during.byRevision(), during.byStatus(), after.byStatus());
    System.out.printf("| Release abort | route at 1/0 %s, canary Deployment at 0 replicas %s later |%n", routeAtZero.get(),
        Duration.between(routeAtZero.get(), podsAtZero.get()));
    // The operator waits scaleDownDelay (5 s) after it saw the route at 1/0; 0.5 s allows for watch delivery.
    assertThat(Duration.between(routeAtZero.get(), podsAtZero.get()))
        .as("the canary's pod goes scaleDownDelay after the route went to 1/0").isGreaterThan(Duration.ofMillis(4500));
    assertThat(harness.get("shop").getStatus().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(during.count(r -> canary.equals(r.revision()))).as("the canary served before the abort").isPositive();
    assertThat(during.errors() + after.errors()).as("5xx or unanswered").isZero();
    assertThat(after.byRevision()).isEqualTo(Map.of(stable, 200L));
  }

  @Test
  @Order(2)
  @DisplayName("given a routed Release whose first stage has weight 0 and matches x-canary: true, then only requests with the header reach the canary's single pod, the route stays 1/0, and once promoted the next stage routes 5% by weight")
  void headerOnlyStageThenWeighted() {
    harness.edit("shop", r -> {
      Stage byHeader = new Stage("by-header", 0, null, dev.stagegate.api.common.Approval.Manual);
      byHeader.setMatch(new StageMatch(List.of(new StageMatch.HeaderValue("x-canary", "true"))));
      r.getSpec().setStages(new ArrayList<>(List.of(byHeader,
          new Stage("canary-5", 5, null, dev.stagegate.api.common.Approval.Manual),
          new Stage("full", 100, null, dev.stagegate.api.common.Approval.Auto))));
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/shop:v3");
      return r;
    });
    Release byHeader = harness.awaitStatus("shop", r -> r.getStatus().getCurrentStage() != null
        && "by-header".equals(r.getStatus().getCurrentStage().getName())
        && r.getStatus().getCurrentStage().getReadyAt() != null, WAIT);
    String canary = byHeader.getStatus().getCanaryRevision();
    String stable = byHeader.getStatus().getStableRevision();
    assertThat(harness.replicasByRevision("shop")).containsEntry(canary, 1).containsEntry(stable, 4);
    assertThat(byHeader.getStatus().getTrafficRouting().getRouteWeights()).isEqualTo("1/0");
    assertThat(byHeader.getStatus().getTrafficRouting().getHeaderRule()).isTrue();
    assertThat(byHeader.getStatus().getActualWeight()).isZero();
    // Traefik follows a route 1.5-2 s after it reports it Accepted: wait until it routes the header.
    Map<String, String> header = Map.of("x-canary", "true");
    await().atMost(WAIT).until(() -> stack.load().send(20, 2, header).share(canary) == 1.0);

    GatewayLoad.Tally with = stack.load().send(400, 4, header);
    GatewayLoad.Tally without = stack.load().send(400, 4, Map.of());
    System.out.printf("| Release header-only stage (weight 0) | with x-canary %s | without %s |%n",
        with.byRevision(), without.byRevision());
    assertThat(with.byRevision()).isEqualTo(Map.of(canary, 400L));
    assertThat(without.byRevision()).isEqualTo(Map.of(stable, 400L));

    harness.annotate("shop", "promote");
    Release atFive = harness.awaitStatus("shop", r -> r.getStatus().getCurrentStage() != null
        && "canary-5".equals(r.getStatus().getCurrentStage().getName())
        && r.getStatus().getCurrentStage().getReadyAt() != null, WAIT);
    assertThat(atFive.getStatus().getCanaryRevision()).isEqualTo(canary);
    assertThat(atFive.getStatus().getTrafficRouting().getRouteWeights()).isEqualTo("19/1");
    assertThat(atFive.getStatus().getTrafficRouting().getHeaderRule()).isFalse();
    awaitApplied(new BackendWeights(19, 1));
    // The header no longer picks the canary: with it, requests split by weight like any other.
    await().atMost(WAIT).until(() -> stack.load().send(40, 2, header).share(stable) > 0);
  }

  @Test
  @Order(3)
  @DisplayName("given the canary at its 5% stage, when a GitOps tool force-applies the route as in git (no canary, a label of its own), then the operator restores 19/1 at once through its HTTPRoute informer, keeps git's change, and nothing conflicts")
  void gitOpsResetIsRestoredAtOnce() {
    Release atFive = harness.awaitStatus("shop", r -> r.getStatus().getCurrentStage() != null
        && "canary-5".equals(r.getStatus().getCurrentStage().getName())
        && r.getStatus().getCurrentStage().getReadyAt() != null, WAIT);
    String canary = atFive.getStatus().getCanaryRevision();
    AtomicReference<Instant> reset = new AtomicReference<>();
    AtomicReference<Instant> restored = new AtomicReference<>();
    try (Watch routes = client.resources(HTTPRoute.class).inNamespace(NS).withName("shop")
        .watch(onEvent(r -> reset.get() != null && canaryWeight(r) == 1, restored))) {
      // Argo CD's server-side sync: git's manifest, forced (so no 409), with a change of its own (a label).
      HTTPRoute applied = client.resource(client.getKubernetesSerialization().unmarshal("""
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %s, labels: {synced-by: argocd}}
          spec:
            parentRefs: [{name: %s}]
            rules:
            - backendRefs: [{name: shop-stable, port: 80}]
          """.formatted(NS, GatewayStack.GATEWAY), HTTPRoute.class))
          .fieldManager("argocd-controller").forceConflicts().serverSideApply();
      reset.set(Instant.now());
      assertThat(canaryWeight(applied)).as("git's rules landed").isZero();
      // The Release waits on a manual approval: without a watch on the route its next reconcile would come from the
      // 30 s requeue. The informer's event brings it at once; 15 s leaves a wide margin for a loaded CI machine.
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> restored.get() != null);
    }
    System.out.printf("| GitOps force-apply of the route at 5%% | weights back at 19/1 %d ms after the apply returned |%n",
        Duration.between(reset.get(), restored.get()).toMillis());
    HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(NS).withName("shop").get();
    assertThat(route.getMetadata().getLabels()).as("git's change stays").containsEntry("synced-by", "argocd");
    assertThat(route.getMetadata().getManagedFields())
        .filteredOn(f -> "stagegate-traffic".equals(f.getManager()) && "Apply".equals(f.getOperation()))
        .as("the operator owns the rules again").singleElement()
        .satisfies(f -> assertThat(f.getFieldsV1().getAdditionalProperties().toString()).contains("f:rules"));
    Release after = harness.awaitStatus("shop",
        r -> "19/1".equals(r.getStatus().getTrafficRouting().getRouteWeights()), WAIT);
    assertThat(after.getStatus().getTrafficRouting().getRoute()).isNotEqualTo("Refused");
    assertThat(after.getStatus().getCanaryRevision()).isEqualTo(canary);
  }

  @Test
  @Order(4)
  @DisplayName("given the canary at its 5% stage, when the Release also names a GRPCRoute, then the operator writes 19/1 into it too, keeps its gRPC method match, and the stage's status covers both routes")
  void grpcRouteFollowsTheStage() {
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: shop-grpc, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          hostnames: [grpc.shop.test]
          rules:
          - matches: [{method: {service: shop.Cart}}]
            backendRefs: [{name: shop-stable, port: 80}]
        """.formatted(NS, GatewayStack.GATEWAY), GRPCRoute.class)).fieldManager("team").serverSideApply();

    harness.edit("shop", r -> {
      r.getSpec().getTrafficRouting().getGatewayAPI().setGrpcRoute("shop-grpc");
      return r;
    });

    await().atMost(WAIT).until(() -> {
      GRPCRoute g = client.resources(GRPCRoute.class).inNamespace(NS).withName("shop-grpc").get();
      return g.getSpec().getRules().get(0).getBackendRefs().size() == 2
          && g.getSpec().getRules().get(0).getBackendRefs().get(1).getWeight() == 1;
    });
    GRPCRoute g = client.resources(GRPCRoute.class).inNamespace(NS).withName("shop-grpc").get();
    assertThat(g.getSpec().getRules().get(0).getBackendRefs()).extracting("name", "weight").containsExactly(
        org.assertj.core.groups.Tuple.tuple("shop-stable", 19), org.assertj.core.groups.Tuple.tuple("shop-canary", 1));
    assertThat(g.getSpec().getRules().get(0).getMatches().get(0).getMethod().getService()).isEqualTo("shop.Cart");
    // Traefik accepts a GRPCRoute on the HTTP listener: the status then covers both routes.
    Release both = harness.awaitStatus("shop", r -> r.getStatus().getTrafficRouting().getMessage() != null
        && r.getStatus().getTrafficRouting().getMessage().startsWith("HTTPRoute and GRPCRoute"), WAIT);
    System.out.printf("| Release with a GRPCRoute at 5%% | GRPCRoute 19/1 | status %s: %s |%n",
        both.getStatus().getTrafficRouting().getRoute(), both.getStatus().getTrafficRouting().getMessage());
    assertThat(both.getStatus().getTrafficRouting().getRoute()).isEqualTo("Accepted");
    assertThat(both.getStatus().getTrafficRouting().getRouteWeights()).isEqualTo("19/1");
  }

  @Test
  @Order(5)
  @DisplayName("given the canary at its 5% stage with a GRPCRoute, when a GitOps tool force-applies the GRPCRoute as in git (no canary), then the operator restores 19/1 at once through its GRPCRoute informer, and nothing conflicts")
  void grpcRouteGitOpsResetIsRestoredAtOnce() {
    harness.awaitStatus("shop", r -> r.getStatus().getTrafficRouting().getMessage() != null
        && r.getStatus().getTrafficRouting().getMessage().startsWith("HTTPRoute and GRPCRoute"), WAIT);
    AtomicReference<Instant> reset = new AtomicReference<>();
    AtomicReference<Instant> restored = new AtomicReference<>();
    try (Watch routes = client.resources(GRPCRoute.class).inNamespace(NS).withName("shop-grpc")
        .watch(onEvent(r -> reset.get() != null && grpcCanaryWeight(r) == 1, restored))) {
      GRPCRoute applied = client.resource(client.getKubernetesSerialization().unmarshal("""
          apiVersion: gateway.networking.k8s.io/v1
          kind: GRPCRoute
          metadata: {name: shop-grpc, namespace: %s}
          spec:
            parentRefs: [{name: %s}]
            hostnames: [grpc.shop.test]
            rules:
            - matches: [{method: {service: shop.Cart}}]
              backendRefs: [{name: shop-stable, port: 80}]
          """.formatted(NS, GatewayStack.GATEWAY), GRPCRoute.class))
          .fieldManager("argocd-controller").forceConflicts().serverSideApply();
      reset.set(Instant.now());
      assertThat(grpcCanaryWeight(applied)).as("git's rules landed").isZero();
      // As for the HTTPRoute: a Release on a manual stage is otherwise reconciled only by its 30 s requeue.
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> restored.get() != null);
    }
    System.out.printf("| GitOps force-apply of the GRPCRoute at 5%% | weights back at 19/1 %d ms after the apply"
        + " returned |%n", Duration.between(reset.get(), restored.get()).toMillis());
    GRPCRoute route = client.resources(GRPCRoute.class).inNamespace(NS).withName("shop-grpc").get();
    assertThat(route.getSpec().getRules().get(0).getMatches().get(0).getMethod().getService()).isEqualTo("shop.Cart");
  }

  private static int grpcCanaryWeight(GRPCRoute route) {
    return route.getSpec().getRules().get(0).getBackendRefs().stream()
        .filter(b -> "shop-canary".equals(b.getName()))
        .mapToInt(b -> b.getWeight() == null ? 1 : b.getWeight()).findFirst().orElse(0);
  }

  /** A watcher noting when {@code condition} first held. */
  private static <T> Watcher<T> onEvent(Predicate<T> condition, AtomicReference<Instant> when) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action != Action.DELETED && condition.test(resource)) {
          when.compareAndSet(null, Instant.now());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static int canaryWeight(HTTPRoute route) {
    return route.getSpec().getRules().get(0).getBackendRefs().stream()
        .filter(b -> "shop-canary".equals(b.getName()))
        .mapToInt(b -> b.getWeight() == null ? 1 : b.getWeight()).findFirst().orElse(0);
  }

  private static void awaitApplied(BackendWeights weights) {
    String stableName = TraefikGateway.serviceName(NS, "shop-stable", 80);
    String canaryName = TraefikGateway.serviceName(NS, "shop-canary", 80);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
        stack.gateway().appliedWeights().values().stream().anyMatch(children ->
            weightOf(children, stableName) == weights.stable() && weightOf(children, canaryName) == weights.canary()));
  }

  private static int weightOf(Map<String, Integer> children, String service) {
    return children.entrySet().stream().filter(e -> e.getKey().startsWith(service))
        .mapToInt(Map.Entry::getValue).findFirst().orElse(0);
  }
}
