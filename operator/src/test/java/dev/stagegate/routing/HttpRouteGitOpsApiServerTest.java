package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.sandbox.GatewayApiCrds;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitOps tool and the operator writing the same HTTPRoute on a real kube-apiserver with the real Gateway API
 * schema, where {@code spec.rules} is an atomic list: whoever applies it owns all of it. The GitOps tool is the real
 * kubectl applying under its own field manager, as Argo CD and Flux do.
 */
@Tag("apiserver")
class HttpRouteGitOpsApiServerTest {
  private static final String NS = "gitops-route";
  private static final String GITOPS = "argocd-controller";
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80);

  private static KubernetesClient client;
  private static Path kubectl;
  @TempDir
  static Path dir;
  private static Path kubeconfig;
  private HttpRouteWeightApplier applier;

  @BeforeAll
  static void startApiServer() throws Exception {
    kubectl = RealComponent.kubectl();
    Path crds = RealComponent.gatewayApiCrds();
    client = RealApiServer.client();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), RealApiServer.kubeconfig());
    GatewayApiCrds.install(client, crds);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  @BeforeEach
  void freshRoute() {
    client.resources(HTTPRoute.class).inNamespace(NS).withName("shop").withTimeout(30, TimeUnit.SECONDS).delete();
    applier = new HttpRouteWeightApplier(client);
  }

  /** The route as it is in git: an admin rule with a filter, and the shop rule with the stable Service only. */
  private static String gitManifest(String adminHeaderValue, String shopRefs) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: shop
          namespace: %s
          labels: {team: shop}
        spec:
          parentRefs: [{name: public}]
          hostnames: [shop.example.test]
          rules:
          - matches: [{path: {type: PathPrefix, value: /admin}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: x-admin, value: "%s"}]}
            backendRefs: [{name: admin, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs:
        %s
        """.formatted(NS, adminHeaderValue, shopRefs);
  }

  private static final String GIT_REFS = "    - {name: shop-stable, port: 80}";

  @Test
  @DisplayName("given an HTTPRoute at a header-routed stage, when the operator applies the same step again, then nothing is written although the API server filled in defaults the operator's rules leave out")
  void headerStageIsWrittenOnce() {
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop-header, namespace: %s}
        spec:
          parentRefs: [{name: public}]
          rules:
          - backendRefs: [{name: shop-stable, port: 80}]
        """.formatted(NS), HTTPRoute.class)).fieldManager(GITOPS).forceConflicts().serverSideApply();
    TrafficStep step = TrafficStep.headerOnly(List.of(new HeaderMatch("x-canary", "true")));

    HttpRouteWeightApplier.Written first = applier.apply(NS, "shop-header", ROUTING, step);
    HttpRouteWeightApplier.Written again = applier.apply(NS, "shop-header", ROUTING, step);

    assertThat(first.changed()).isTrue();
    assertThat(again.changed()).as("the second apply finds nothing to change").isFalse();
  }

  @Test
  @DisplayName("given a GRPCRoute on the real API server with the Gateway API schema, when a 5% stage with a header match is applied, then the server accepts the rules, the weights read back 19/1, the gRPC method match stays, and applying again writes nothing")
  void grpcRouteApply() {
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: shop-grpc, namespace: %s}
        spec:
          parentRefs: [{name: public}]
          rules:
          - matches:
            - method: {service: shop.Admin}
            backendRefs: [{name: shop-stable, port: 80}]
          - backendRefs: [{name: shop-stable, port: 80}]
        """.formatted(NS), io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute.class))
        .fieldManager(GITOPS).forceConflicts().serverSideApply();
    HttpRouteWeightApplier grpc = HttpRouteWeightApplier.forGrpcRoutes(client);
    TrafficStep step = TrafficStep.canaryPercent("5").withHeaderMatches(List.of(new HeaderMatch("x-canary", "true")));

    HttpRouteWeightApplier.Written first = grpc.apply(NS, "shop-grpc", ROUTING, step);
    HttpRouteWeightApplier.Written again = grpc.apply(NS, "shop-grpc", ROUTING, step);

    var stored = client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute.class).inNamespace(NS)
        .withName("shop-grpc").get();
    assertThat(first.changed()).isTrue();
    assertThat(again.changed()).as("nothing to change the second time").isFalse();
    assertThat(stored.getSpec().getRules()).hasSize(4);
    assertThat(stored.getSpec().getRules().get(0).getMatches()).singleElement().satisfies(m -> {
      assertThat(m.getMethod().getService()).isEqualTo("shop.Admin");
      assertThat(m.getHeaders()).extracting("name").containsExactly("x-canary");
    });
    assertThat(stored.getSpec().getRules().get(1).getBackendRefs()).extracting("name", "weight").containsExactly(
        org.assertj.core.groups.Tuple.tuple("shop-stable", 19), org.assertj.core.groups.Tuple.tuple("shop-canary", 1));
    assertThat(stored.getMetadata().getManagedFields()).anyMatch(f -> "stagegate-traffic".equals(f.getManager()));

    grpc.apply(NS, "shop-grpc", ROUTING, TrafficStep.allStable());
    var back = client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute.class).inNamespace(NS)
        .withName("shop-grpc").get();
    assertThat(back.getSpec().getRules()).hasSize(2);
    assertThat(back.getSpec().getRules().get(0).getMatches().get(0).getMethod().getService()).isEqualTo("shop.Admin");
    assertThat(back.getSpec().getRules().get(1).getBackendRefs()).extracting("weight").containsExactly(1, 0);
  }

  @Test
  @DisplayName("Given the GitOps tool applied the route, when the operator sets 10%, then it owns spec.rules only, and parentRefs, hostnames and labels stay the GitOps tool's")
  void operatorOwnsOnlyRules() throws Exception {
    gitApply(gitManifest("1", GIT_REFS), "--force-conflicts");

    HttpRouteWeightApplier.Written written = applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));

    assertThat(written.changed()).isTrue();
    HTTPRoute route = route();
    assertThat(HttpRouteRules.observedWeights(route.getSpec().getRules(), NS, ROUTING)).contains(new BackendWeights(9, 1));
    assertThat(fieldsOf(route, HttpRouteWeightApplier.FIELD_MANAGER)).contains("f:rules").doesNotContain("f:parentRefs",
        "f:hostnames", "f:labels");
    assertThat(fieldsOf(route, GITOPS)).contains("f:parentRefs", "f:hostnames", "f:labels").doesNotContain("f:rules");
  }

  @Test
  @DisplayName("Given a canary at 10% and git spelling out its backendRefs in full (group, kind), when the GitOps tool re-applies them with the live weights (Argo CD's RespectIgnoreDifferences on weights), then there is no conflict even without force and no weight changes")
  void reapplyIgnoringWeights() throws Exception {
    gitApply(gitManifest("1", GIT_REFS), "--force-conflicts");
    applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));
    long generation = route().getMetadata().getGeneration();

    // The API server compares the applied list as written with the defaulted live one: any backendRef
    // without group/kind/weight differs from the stored {group: "", kind: Service, weight: 1} and conflicts.
    Kubectl result = gitApply(gitManifest("1",
        "    - {group: \"\", kind: Service, name: shop-stable, port: 80, weight: 9}\n"
            + "    - {group: \"\", kind: Service, name: shop-canary, port: 80, weight: 1}")
        .replace("{name: admin, port: 8080}", "{group: \"\", kind: Service, name: admin, port: 8080, weight: 1}"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(route().getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING)).contains(new BackendWeights(9, 1));
    assertThat(applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10")).changed()).isFalse();
  }

  @Test
  @DisplayName("Given a canary at 10%, when the GitOps tool force-applies a changed git route (Flux, Argo CD server-side sync), then there is no conflict, git's change lands, and the operator's next apply restores 10% keeping git's change")
  void forcedReapplyThenRestored() throws Exception {
    gitApply(gitManifest("1", GIT_REFS), "--force-conflicts");
    applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));

    Kubectl result = gitApply(gitManifest("2", GIT_REFS), "--force-conflicts");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING))
        .as("git's rules replace the whole atomic list, weights included").contains(BackendWeights.ALL_STABLE);
    HttpRouteWeightApplier.Written restored = applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));
    assertThat(restored.changed()).isTrue();
    HTTPRoute route = route();
    assertThat(HttpRouteRules.observedWeights(route.getSpec().getRules(), NS, ROUTING)).contains(new BackendWeights(9, 1));
    assertThat(adminHeader(route.getSpec().getRules())).isEqualTo("2");
  }

  @Test
  @DisplayName("Given the route applied client-side (kubectl apply, Argo CD's default) and a canary at 10%, when the same manifest is applied client-side again, then there is no conflict, the weights go back to git's, and the operator's next apply restores 10%")
  void clientSideReapply() throws Exception {
    Kubectl first = kubectl("apply", "-f", write(gitManifest("1", GIT_REFS)).toString());
    assertThat(first.exitCode()).as(first.output()).isZero();
    applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));

    Kubectl again = kubectl("apply", "-f", write(gitManifest("1", GIT_REFS)).toString());

    assertThat(again.exitCode()).as(again.output()).isZero();
    System.out.printf("| client-side re-apply during 10%% | weights after: %s |%n",
        HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING).orElseThrow());
    assertThat(HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING))
        .contains(BackendWeights.ALL_STABLE);
    assertThat(applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10")).changed()).isTrue();
    assertThat(HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING)).contains(new BackendWeights(9, 1));
  }

  @Test
  @DisplayName("Given a canary at 10%, when the GitOps tool applies a different rules list without force, then the API server refuses with a conflict on .spec.rules naming stagegate-traffic, and the weights stay")
  void unforcedReapplyConflicts() throws Exception {
    gitApply(gitManifest("1", GIT_REFS), "--force-conflicts");
    applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));

    Kubectl result = gitApply(gitManifest("1", GIT_REFS));

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("conflict").contains(HttpRouteWeightApplier.FIELD_MANAGER).contains(".spec.rules");
    assertThat(HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING)).contains(new BackendWeights(9, 1));
  }

  @Test
  @DisplayName("Given the route changed after the operator read it, when the operator's apply carries the old resourceVersion, then the real API server answers 409 (the signal the applier re-reads on), not 422")
  void staleApplyIsA409() throws Exception {
    gitApply(gitManifest("1", GIT_REFS), "--force-conflicts");
    HTTPRoute stale = route();
    gitApply(gitManifest("3", GIT_REFS), "--force-conflicts");
    List<HTTPRouteRule> rules = HttpRouteRules.apply(stale.getSpec().getRules(), NS, ROUTING,
        TrafficStep.canaryPercent("10"));

    assertThatThrownBy(() -> client.resource(HttpRouteWeightApplier.applyBody(stale, rules))
        .fieldManager(HttpRouteWeightApplier.FIELD_MANAGER).forceConflicts().serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(adminHeader(route().getSpec().getRules())).as("the concurrent change survives").isEqualTo("3");

    applier.apply(NS, ROUTING, TrafficStep.canaryPercent("10"));
    assertThat(adminHeader(route().getSpec().getRules())).isEqualTo("3");
    assertThat(HttpRouteRules.observedWeights(route().getSpec().getRules(), NS, ROUTING)).contains(new BackendWeights(9, 1));
  }

  private static String adminHeader(List<HTTPRouteRule> rules) {
    return rules.get(0).getFilters().get(0).getRequestHeaderModifier().getSet().get(0).getValue();
  }

  private static HTTPRoute route() {
    return client.resources(HTTPRoute.class).inNamespace(NS).withName("shop").get();
  }

  /** The field paths a manager owns, as the managedFields JSON (enough to see which top-level fields it holds). */
  private static String fieldsOf(HTTPRoute route, String manager) {
    return route.getMetadata().getManagedFields().stream()
        .filter(m -> manager.equals(m.getManager()))
        .map(ManagedFieldsEntry::getFieldsV1)
        .map(f -> f.getAdditionalProperties().toString())
        .reduce("", String::concat);
  }

  private record Kubectl(int exitCode, String output) {}

  private static Path write(String manifest) throws Exception {
    return Files.writeString(dir.resolve("route.yaml"), manifest);
  }

  private static Kubectl gitApply(String manifest, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("apply", "--server-side", "--field-manager=" + GITOPS, "-f",
        write(manifest).toString()));
    args.addAll(List.of(extra));
    return kubectl(args.toArray(String[]::new));
  }

  private static Kubectl kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl apply timed out");
    }
    return new Kubectl(process.exitValue(), out);
  }
}
