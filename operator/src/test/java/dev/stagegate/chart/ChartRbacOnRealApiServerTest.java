package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagegate.OperatorSettings;
import dev.stagegate.StagegateOperator;
import dev.stagegate.api.common.PrometheusSource;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.sandbox.FakeKubelet;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.RepoPaths;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC on a real kube-apiserver (RBAC authorization on): the operator runs with nothing but
 * the token of the chart's ServiceAccount and must still roll a Release out, write status and Events,
 * read its Prometheus Secret and hold its Lease, while anything beyond that is refused.
 */
@Tag("apiserver")
@Tag("tools")
class ChartRbacOnRealApiServerTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static KubernetesClient admin;
  private static int run;

  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void crds() throws Exception {
    admin = RealApiServer.client();
    installCrdsForRbac(admin);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  @DisplayName("given the chart installed for all namespaces, when the operator runs with its ServiceAccount only, then a Release rolls out with leader election and nothing more is allowed")
  void clusterWideRbacIsEnoughAndNoMore() throws Exception {
    String system = "sg-system-" + (++run);
    String apps = "sg-apps-" + run;
    KubernetesClient operatorClient = install(system, List.of("fullnameOverride=sg-cluster"), apps);

    StagegateOperator leader = startOperator(operatorClient, system, "sg-cluster", Set.of(), "pod-a");
    rollOut(apps);

    Lease lease = admin.leases().inNamespace(system).withName("sg-cluster").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("pod-a");
    assertThat(admin.v1().events().inNamespace(apps).list().getItems()).isNotEmpty();

    assertThat(allowed(operatorClient, apps, "", "secrets", "get", null)).isTrue();
    assertThat(allowed(operatorClient, apps, "", "secrets", "list", null)).as("secrets are read by name only").isFalse();
    assertThat(allowed(operatorClient, apps, "", "secrets", "watch", null)).isFalse();
    assertThat(allowed(operatorClient, apps, "", "pods", "create", null)).isFalse();
    assertThat(allowed(operatorClient, apps, "", "pods", "list", null)).as("an undo waits for the aborted Job's pods").isTrue();
    assertThat(allowed(operatorClient, apps, "", "pods", "delete", null)).isFalse();
    assertThat(allowed(operatorClient, apps, "apps", "deployments", "update", null)).isFalse();
    assertThat(allowed(operatorClient, apps, "stagegate.dev", "releases", "delete", null)).isFalse();
    assertThat(allowed(operatorClient, apps, "gateway.networking.k8s.io", "httproutes", "patch", null)).isTrue();
    assertThat(allowed(operatorClient, apps, "gateway.networking.k8s.io", "httproutes", "delete", null))
        .as("only the weights of a route the user owns").isFalse();
    assertThat(allowed(operatorClient, apps, "", "services", "create", null)).isTrue();
    assertThat(allowed(operatorClient, apps, "", "services", "delete", null)).isFalse();
    assertThat(allowed(operatorClient, system, "coordination.k8s.io", "leases", "update", "sg-cluster")).isTrue();
    assertThat(allowed(operatorClient, system, "coordination.k8s.io", "leases", "update", "someone-else"))
        .as("only its own Lease").isFalse();
    assertThat(allowed(operatorClient, apps, "coordination.k8s.io", "leases", "create", null))
        .as("Leases only in its own namespace").isFalse();
    assertThat(allowed(operatorClient, apps, "stagegate.dev", "checktemplates", "watch", null)).isTrue();
    assertThat(allowed(operatorClient, apps, "stagegate.dev", "checktemplates", "update", null))
        .as("templates are only read").isFalse();
    assertThat(allowed(operatorClient, "", "stagegate.dev", "clusterchecktemplates", "list", null)).isTrue();
    assertThat(allowed(operatorClient, "", "stagegate.dev", "clusterchecktemplates", "create", null)).isFalse();
    assertThat(leader.port()).isPositive();
  }

  @Test
  @DisplayName("given the chart installed for a list of namespaces, when the operator runs with its ServiceAccount only, then a Release in a listed namespace rolls out and other namespaces are closed to it")
  void namespacedRbacIsEnough() throws Exception {
    String system = "sg-system-" + (++run);
    String apps = "sg-apps-" + run;
    String other = "sg-other-" + run;
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build()).create();
    KubernetesClient operatorClient = install(system, List.of("fullnameOverride=sg-ns-" + run,
        "watchNamespaces={" + apps + "}"), apps);

    startOperator(operatorClient, system, "sg-ns-" + run, Set.of(apps), "pod-a");
    rollOut(apps);

    assertThat(allowed(operatorClient, other, "stagegate.dev", "releases", "list", null)).isFalse();
    assertThat(allowed(operatorClient, other, "", "secrets", "get", null)).isFalse();
    assertThat(allowed(operatorClient, "", "stagegate.dev", "releases", "list", null))
        .as("no cluster-wide list").isFalse();
    assertThat(allowed(operatorClient, "", "stagegate.dev", "clusterchecktemplates", "watch", null))
        .as("cluster-scoped templates are read cluster-wide").isTrue();
    assertThat(allowed(operatorClient, other, "stagegate.dev", "checktemplates", "list", null)).isFalse();
  }

  @Test
  @DisplayName("given two replicas with leader election, then the standby's /healthz and /readyz answer 200 so its liveness probe does not restart it")
  void standbyPassesItsProbes() throws Exception {
    String system = "sg-system-" + (++run);
    String apps = "sg-apps-" + run;
    KubernetesClient operatorClient = install(system, List.of("fullnameOverride=sg-ha-" + run), apps);
    startOperator(operatorClient, system, "sg-ha-" + run, Set.of(), "pod-a");
    Awaitility.await().atMost(WAIT).until(() -> admin.leases().inNamespace(system).withName("sg-ha-" + run).get() != null);

    StagegateOperator standby = startOperator(operatorClient, system, "sg-ha-" + run, Set.of(), "pod-b");
    Thread.sleep(3000);
    assertThat(admin.leases().inNamespace(system).withName("sg-ha-" + run).get().getSpec().getHolderIdentity())
        .isEqualTo("pod-a");
    assertThat(status(standby.port(), "/readyz")).as("standby /readyz").isEqualTo(200);
    assertThat(status(standby.port(), "/healthz")).as("standby /healthz").isEqualTo(200);
  }

  /** Installs the chart's ServiceAccount and RBAC into `system` and returns a client holding only that account's token. */
  private KubernetesClient install(String system, List<String> values, String apps) throws Exception {
    for (String ns : List.of(system, apps)) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    List<String> sets = new ArrayList<>(values);
    HelmChart.Run rendered = HelmChart.helm(concat(List.of("template", "stagegate", HelmChart.dir().toString(),
        "--namespace", system), HelmChart.setFlags(sets)));
    assertThat(rendered.exitCode()).as(rendered.output()).isZero();
    String sa = null;
    for (JsonNode object : HelmChart.parseDocuments(rendered.stdout())) {
      String kind = object.path("kind").asText();
      if (Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding").contains(kind)) {
        for (HasMetadata item : admin.load(new ByteArrayInputStream(
            HelmChart.YAML.writeValueAsBytes(object))).items()) {
          admin.resource(item).createOr(r -> r.update());
        }
        if (kind.equals("ServiceAccount")) {
          sa = object.path("metadata").path("name").asText();
        }
      }
    }
    String token = admin.serviceAccounts().inNamespace(system).withName(sa).tokenRequest(new TokenRequestBuilder()
        .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    Config config = Config.fromKubeconfig(RealApiServer.kubeconfig());
    config.setClientCertData(null);
    config.setClientKeyData(null);
    config.setClientCertFile(null);
    config.setClientKeyFile(null);
    config.setUsername(null);
    config.setPassword(null);
    config.setOauthToken(token);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    running.add(client);
    return client;
  }

  private StagegateOperator startOperator(KubernetesClient client, String system, String lease, Set<String> namespaces,
      String identity) {
    OperatorSettings settings = new OperatorSettings("http://prometheus.invalid:9090", null, namespaces, 0, true, lease,
        system, Duration.ofSeconds(15), true, identity);
    StagegateOperator operator = new StagegateOperator(client, settings, Clock.systemUTC(),
        new ScriptedMetrics().otherwise(0.001)).start();
    running.add(operator);
    return operator;
  }

  /** A Release with a check whose Prometheus needs a Secret: promoted, then a canary promoted too. */
  private void rollOut(String apps) {
    running.add(FakeKubelet.builder(admin).inNamespace(apps).readinessDelay(Duration.ofMillis(200)).build().start());
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("prometheus-credentials")
        .addToAnnotations("stagegate.dev/prometheus-origin", "http://prometheus.invalid:9090").endMetadata()
        .addToStringData("token", "not-a-real-token").build()).create();
    Release release = Releases.named("checkout", apps).replicas(4).stage("canary-25", 25, "1s").stage("full", 100, "1s")
        .errorRateCheck("1s", 1, 0.01).build();
    release.getSpec().setPrometheus(new PrometheusSource("http://prometheus.invalid:9090",
        new SecretRef("prometheus-credentials")));
    admin.resource(release).create();
    awaitPhase(apps, r -> r.getStatus() != null && r.getStatus().getPhase() == ReleasePhase.Promoted);

    Release edited = admin.resources(Release.class).inNamespace(apps).withName("checkout").edit(r -> {
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/checkout:v2");
      return r;
    });
    String v2 = RevisionHash.of(edited);
    awaitPhase(apps, r -> r.getStatus().getPhase() == ReleasePhase.Promoted && v2.equals(r.getStatus().getStableRevision()));
    // The old revision's Deployment is deleted once the new one serves at full size.
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> admin.apps().deployments().inNamespace(apps).list().getItems().size() == 1);
  }

  private void awaitPhase(String apps, java.util.function.Predicate<Release> condition) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> condition.test(admin.resources(Release.class).inNamespace(apps).withName("checkout").get()));
  }

  private static boolean allowed(KubernetesClient client, String namespace, String group, String resource, String verb,
      String name) {
    SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
        .withNamespace(namespace.isEmpty() ? null : namespace).withGroup(group).withResource(resource).withVerb(verb)
        .withName(name).endResourceAttributes().endSpec().build();
    return client.authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed();
  }

  private static int status(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * The repository's CRDs without their CEL rules: RBAC does not depend on them, and this keeps the test
   * about RBAC alone (ExamplesApiServerTest installs the CRDs as they are and proves the rules).
   */
  private static void installCrdsForRbac(KubernetesClient client) throws Exception {
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("crds"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
            .load(new ByteArrayInputStream(Files.readAllBytes(file))).item();
        crd.getSpec().getVersions().forEach(v -> withoutCel(v.getSchema().getOpenAPIV3Schema()));
        client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                && c.getStatus().getConditions().stream().anyMatch(
                    cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                30, TimeUnit.SECONDS);
      }
    }
  }

  private static void withoutCel(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    schema.setXKubernetesValidations(null);
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(ChartRbacOnRealApiServerTest::withoutCel);
    }
    if (schema.getItems() != null) {
      withoutCel(schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      withoutCel(schema.getAdditionalProperties().getSchema());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
