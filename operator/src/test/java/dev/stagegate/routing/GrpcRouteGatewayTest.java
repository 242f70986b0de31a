package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagegate.sandbox.GatewayStack;
import dev.stagegate.sandbox.NetworkNamespace;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
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
 * Real gRPC calls through a real Traefik steered by a GRPCRoute the operator's routing engine writes: two grpc-java
 * servers (stable answering "r1", canary "r2") on addresses of the test's own network namespace, each behind a
 * Service and an EndpointSlice, and a grpc-java client on Traefik's entrypoint speaking h2c (HTTP/2 without TLS).
 * Traefik balances gRPC per call, so the canary's share of answers is the stage's weight; a rollback sends every call
 * to stable.
 */
@Tag("apiserver")
@Tag("gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcRouteGatewayTest {
  private static final String NS = "grpc-gw";
  private static final String ROUTE = "echo";
  private static final int PORT = 50051;
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of(ROUTE, "echo-stable", "echo-canary", PORT);
  private static final int CALLS = 2000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static KubernetesClient client;
  private static GatewayStack stack;
  private static Process servers;
  private static ManagedChannel channel;
  private static TrafficRouter router;

  @BeforeAll
  static void start() throws Exception {
    RealComponent.gatewayStack();
    client = RealApiServer.client();
    stack = GatewayStack.start(client, RealApiServer.kubeconfig(), NS);
    NetworkNamespace netns = stack.pods().namespace();
    // High host numbers: the stack's pod network hands out addresses from .2 up, and this test starts no pods.
    InetAddress stable = netns.address(250);
    InetAddress canary = netns.address(251);
    netns.addAddress(stable);
    netns.addAddress(canary);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    servers = new ProcessBuilder(netns.exec(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), GrpcEcho.class.getName(),
        "r1=" + stable.getHostAddress() + ":" + PORT, "r2=" + canary.getHostAddress() + ":" + PORT)))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String ready = new BufferedReader(new InputStreamReader(servers.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    assertThat(ready).as("the gRPC servers started").isEqualTo("ready");
    backend("echo-stable", stable);
    backend("echo-canary", canary);
    // The team's GRPCRoute: the Echo service to stable only; the operator adds the canary next to it.
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - matches: [{method: {service: %s}}]
            backendRefs: [{name: echo-stable, port: %d}]
        """.formatted(ROUTE, NS, GatewayStack.GATEWAY, GrpcEcho.SERVICE, PORT), GRPCRoute.class))
        .fieldManager("team").serverSideApply();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.gateway().webPort()).usePlaintext().build();
    router = new TrafficRouter(client);
    await().atMost(WAIT).until(() -> GrpcEcho.call(channel).equals("r1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (servers != null) {
      servers.getOutputStream().close();
      if (!servers.waitFor(10, TimeUnit.SECONDS)) {
        servers.destroyForcibly();
      }
    }
    for (AutoCloseable part : new AutoCloseable[] {stack, client}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        System.err.println("could not stop " + part + ": " + e);
      }
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}%")
  @ValueSource(strings = {"5", "50"})
  @DisplayName("Given a weighted stage written into the GRPCRoute, when 2000 gRPC calls go through Traefik over h2c, then the canary's share of answers is the stage's weight within 3 sigma and every call succeeds")
  void weightedStage(String percent) throws Exception {
    TrafficStep step = TrafficStep.canaryPercent(percent);
    router.routeGrpc(NS, ROUTE, ROUTING, step);
    await().atMost(WAIT).until(() -> router.observeGrpc(NS, ROUTE, ROUTING, step.weights()).inEffect());
    awaitRouting(step.weights());

    Map<String, Long> answers = calls(CALLS, 8);

    double expected = Double.parseDouble(percent) / 100;
    double tolerance = 3 * Math.sqrt(expected * (1 - expected) / CALLS);
    double share = answers.getOrDefault("r2", 0L) / (double) CALLS;
    System.out.printf("| gRPC stage %s%% | GRPCRoute %s | canary share %6.2f%% (+- %.2f%%) | %s |%n", percent,
        step.weights(), 100 * share, 100 * tolerance, answers);
    assertThat(answers.keySet()).as("only the two revisions answered, no failed call").containsOnly("r1", "r2");
    assertThat(share).isBetween(expected - tolerance, expected + tolerance);
  }

  @Test
  @Order(2)
  @DisplayName("Given the canary at 50%, when the stage is rolled back (GRPCRoute at 1/0), then every gRPC call is answered by stable")
  void rollbackSendsAllToStable() throws Exception {
    router.routeGrpc(NS, ROUTE, ROUTING, TrafficStep.allStable());
    await().atMost(WAIT).until(() -> router.observeGrpc(NS, ROUTE, ROUTING, BackendWeights.ALL_STABLE).inEffect());
    awaitRouting(BackendWeights.ALL_STABLE);

    Map<String, Long> answers = calls(400, 8);

    System.out.printf("| gRPC rollback | GRPCRoute 1/0 | %s |%n", answers);
    assertThat(answers).isEqualTo(Map.of("r1", 400L));
  }

  /** Traefik follows a route a second or two after accepting it: wait until 200 calls split as the weights say. */
  private static void awaitRouting(BackendWeights weights) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      Map<String, Long> sample = calls(200, 4);
      long canary = sample.getOrDefault("r2", 0L);
      return weights.canary() == 0 ? canary == 0
          : canary > 0 && sample.keySet().stream().noneMatch(GrpcEcho::failed)
              && Math.abs(canary / 200.0 - weights.canary() / (double) (weights.stable() + weights.canary())) < 0.1;
    });
  }

  /** {@code n} unary calls over {@code parallel} threads sharing the channel (one HTTP/2 connection): answers by revision. */
  private static Map<String, Long> calls(int n, int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        answers.add(pool.submit(() -> GrpcEcho.call(channel)));
      }
      List<String> all = new ArrayList<>();
      for (Future<String> answer : answers) {
        all.add(answer.get(30, TimeUnit.SECONDS));
      }
      return all.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    } finally {
      pool.shutdownNow();
    }
  }

  /** A Service without a selector and its EndpointSlice, as a kube-controller-manager would write for one ready pod. */
  private static void backend(String service, InetAddress address) {
    client.resource(new ServiceBuilder()
            .withNewMetadata().withName(service).withNamespace(NS).endMetadata()
            .withNewSpec().addNewPort().withName("grpc").withPort(PORT).withAppProtocol("kubernetes.io/h2c").endPort()
            .endSpec()
            .build())
        .fieldManager("grpc-test").serverSideApply();
    client.resource(new EndpointSliceBuilder()
            .withNewMetadata().withName(service + "-grpc").withNamespace(NS)
              .addToLabels("kubernetes.io/service-name", service).endMetadata()
            .withAddressType("IPv4")
            .addNewEndpoint().withAddresses(address.getHostAddress()).withNewConditions().withReady(true).endConditions()
            .endEndpoint()
            .addNewPort().withName("grpc").withPort(PORT).withProtocol("TCP").endPort()
            .build())
        .fieldManager("grpc-test").serverSideApply();
  }
}
