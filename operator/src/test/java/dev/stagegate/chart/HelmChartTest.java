package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.chart.HelmChart.Rendered;
import dev.stagegate.chart.HelmChart.Run;
import dev.stagegate.release.plan.ReleaseValidator;
import dev.stagegate.templates.TemplatedRelease;
import dev.stagegate.testing.Releases;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The chart as helm renders it, with the real helm binary. */
@Tag("tools")
class HelmChartTest {

  /** Every (apiGroup, resource, verb[, name]) the operator uses in a watched namespace; nothing more. */
  static final Set<String> WORKLOAD_GRANTS = grants(
      "stagegate.dev releases get,list,watch,patch,update",
      "stagegate.dev datamigrations get,list,watch,patch,update",
      "stagegate.dev releases/status patch,update",
      "stagegate.dev datamigrations/status patch,update",
      "stagegate.dev releases/finalizers update",
      "stagegate.dev datamigrations/finalizers update",
      "stagegate.dev checktemplates get,list,watch",
      "apps deployments get,list,watch,create,patch,delete",
      "core services get,list,watch,create,patch",
      "gateway.networking.k8s.io httproutes get,list,watch,patch",
      "gateway.networking.k8s.io grpcroutes get,list,watch,patch",
      "batch jobs get,list,watch,create,delete",
      "core pods list",
      "core secrets get",
      "core events create,patch");

  /** ClusterCheckTemplates have no namespace: read cluster-wide, whatever namespaces are watched. */
  static final Set<String> CLUSTER_TEMPLATE_GRANTS = grants("stagegate.dev clusterchecktemplates get,list,watch");

  static final Set<String> LEASE_GRANTS = grants(
      "coordination.k8s.io leases get,update,patch @stagegate",
      "coordination.k8s.io leases create");

  @Test
  @DisplayName("given default values and every optional part enabled, then helm lint --strict passes")
  void lintPasses() {
    for (List<String> values : List.of(List.<String>of(), HelmChart.ALL_ON)) {
      Run run = HelmChart.lint(values);
      assertThat(run.exitCode()).as("helm lint " + values + ":\n" + run.output()).isZero();
    }
  }

  @Test
  @DisplayName("given default values, then the chart renders the operator, its ServiceAccount, RBAC and metrics Service, and no optional part")
  void defaultsRenderTheCore() {
    Rendered r = HelmChart.template(List.of());
    Set<String> kinds = new TreeSet<>();
    r.objects().forEach(o -> kinds.add(o.path("kind").asText()));
    assertThat(kinds).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
        "RoleBinding", "Service", "Deployment", "ClusterCheckTemplate");
    assertThat(r.one("Deployment").path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(r.env()).containsEntry("STAGEGATE_LEADER_ELECTION", "true")
        .containsEntry("STAGEGATE_LEASE_NAME", "stagegate")
        .containsEntry("STAGEGATE_WATCH_NAMESPACES", "")
        .containsEntry("STAGEGATE_LOG_FORMAT", "plain")
        .containsEntry("STAGEGATE_PROMETHEUS_URL", "http://prometheus-operated.monitoring:9090")
        .containsEntry("STAGEGATE_PROMETHEUS_CONCURRENCY", "16").containsEntry("STAGEGATE_PROMETHEUS_SHARE_WINDOW", "10s")
        .containsEntry("POD_NAMESPACE", "<from fieldRef>")
        .doesNotContainKey("STAGEGATE_PROMETHEUS_AUTH_DIR");
  }

  @Test
  @DisplayName("given every optional part enabled, then ServiceMonitor, PrometheusRule, dashboard ConfigMap and PodDisruptionBudget render with their settings")
  void optionalPartsRender() {
    Rendered r = HelmChart.template(HelmChart.ALL_ON);
    JsonNode monitor = r.one("ServiceMonitor");
    assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("kube-prometheus-stack");
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("interval").asText()).isEqualTo("15s");
    assertThat(endpoint.path("scrapeTimeout").asText()).isEqualTo("5s");
    assertThat(endpoint.path("honorLabels").asBoolean()).as("keeps the Release's own namespace label").isTrue();
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    JsonNode service = r.one("Service");
    assertThat(endpoint.path("port").asText()).isEqualTo(service.path("spec").path("ports").get(0).path("name").asText());
    assertThat(HelmChart.YAML.convertValue(monitor.path("spec").path("selector").path("matchLabels"), java.util.Map.class))
        .isEqualTo(HelmChart.YAML.convertValue(service.path("spec").path("selector"), java.util.Map.class));

    assertThat(r.one("PrometheusRule").path("metadata").path("labels").path("release").asText())
        .isEqualTo("kube-prometheus-stack");
    assertThat(r.one("PodDisruptionBudget").path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(r.one("Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(r.env()).containsEntry("STAGEGATE_LOG_FORMAT", "json").containsEntry("STAGEGATE_LOG_LEVEL", "DEBUG")
        .containsEntry("STAGEGATE_PROMETHEUS_AUTH_DIR", "/var/run/secrets/stagegate/prometheus");
    JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
    assertThat(pod.path("volumes").findValuesAsText("secretName")).containsExactly("prometheus-credentials");
  }

  @Test
  @DisplayName("given the dashboard enabled, then its ConfigMap has the grafana_dashboard: \"1\" label and carries dashboards/stagegate.json unchanged")
  void dashboardConfigMap() throws IOException {
    JsonNode configMap = HelmChart.template(HelmChart.ALL_ON).one("ConfigMap");
    assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    assertThat(configMap.path("metadata").path("annotations").path("grafana_folder").asText()).isEqualTo("Stagegate");
    String json = configMap.path("data").path("stagegate.json").asText();
    assertThat(HelmChart.YAML.readTree(json))
        .isEqualTo(HelmChart.YAML.readTree(Files.readString(HelmChart.dir().resolve("dashboards/stagegate.json"))));
  }

  @Test
  @DisplayName("given default values, then the chart ships the error-rate, latency-p99, error-rate-sequential and latency-sequential ClusterCheckTemplates, and each, given a selector, resolves to a check the operator accepts")
  void shippedCheckTemplates() {
    List<JsonNode> shipped = HelmChart.template(List.of()).ofKind("ClusterCheckTemplate");
    assertThat(shipped).extracting(t -> t.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("error-rate", "latency-p99", "error-rate-sequential", "latency-sequential");

    Map<String, CheckTemplateSpec> byName = new HashMap<>();
    shipped.forEach(t -> byName.put(t.path("metadata").path("name").asText(),
        HelmChart.YAML.convertValue(t.path("spec"), CheckTemplateSpec.class)));
    List<Check> checks = new ArrayList<>();
    for (String name : byName.keySet()) {
      Check entry = new Check();
      entry.setTemplateRef(new CheckTemplateRef(TemplateKind.ClusterCheckTemplate, name));
      entry.setArgs(Map.of("selector", "app=\"checkout\""));
      checks.add(entry);
    }
    Release release = Releases.named("checkout", "shop").stage("half", 50, "5m").stage("full", 100, "1m").build();
    release.getSpec().setChecks(checks);
    TemplatedRelease resolved = TemplatedRelease.of(release,
        (kind, ns, name) -> Optional.ofNullable(kind == TemplateKind.ClusterCheckTemplate ? byName.get(name) : null));

    assertThat(resolved.invalid()).isEmpty();
    assertThat(ReleaseValidator.validate(resolved.release())).as("the operator's own validation").isEmpty();
    assertThat(resolved.check("error-rate-sequential").getSequential().getErrors())
        .isEqualTo("sum(http_requests_total{app=\"checkout\",revision=\"{{revision}}\",code=~\"5..\"})");
    assertThat(resolved.check("latency-p99").getPrometheus().getQuery()).isEqualTo("histogram_quantile(0.99, sum by (le)"
        + " (rate(http_request_duration_seconds_bucket{app=\"checkout\",revision=\"{{revision}}\"}[2m])))");
    assertThat(resolved.check("latency-sequential").getSequentialLatency()).satisfies(l -> {
      assertThat(l.getBucket()).isEqualTo(
          "sum(http_request_duration_seconds_bucket{app=\"checkout\",revision=\"{{revision}}\",le=\"{{le}}\"})");
      assertThat(l.getCount()).isEqualTo("sum(http_request_duration_seconds_count{app=\"checkout\",revision=\"{{revision}}\"})");
      assertThat(l.getSlowerThan()).containsExactly("0.5");
    });
    assertThat(HelmChart.template(List.of("checkTemplates.install=false")).ofKind("ClusterCheckTemplate")).isEmpty();
  }

  @Nested
  @DisplayName("RBAC")
  class Rbac {
    @Test
    @DisplayName("given all namespaces are watched, then a ClusterRole grants exactly the verbs the operator uses and a Role grants only its own Lease")
    void clusterWide() {
      Rendered r = HelmChart.template(List.of());
      Set<String> expected = new TreeSet<>(WORKLOAD_GRANTS);
      expected.addAll(CLUSTER_TEMPLATE_GRANTS);
      assertThat(grantsOf(r.one("ClusterRole"))).isEqualTo(expected);
      JsonNode leaseRole = r.find("Role", "stagegate-leader-election").orElseThrow();
      assertThat(leaseRole.path("metadata").path("namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
      assertThat(grantsOf(leaseRole)).isEqualTo(LEASE_GRANTS);
      assertThat(r.ofKind("Role")).hasSize(1);
      assertBound(r, "ClusterRoleBinding", "ClusterRole", "stagegate");
      assertBound(r, "RoleBinding", "Role", "stagegate-leader-election");
    }

    @Test
    @DisplayName("given watchNamespaces, then each listed namespace gets a Role with the same grants and cluster-wide there is only reading ClusterCheckTemplates")
    void namespaced() {
      Rendered r = HelmChart.template(List.of("watchNamespaces={shop,billing}"));
      assertThat(r.ofKind("ClusterRole")).as("cluster-wide: only reading ClusterCheckTemplates").singleElement()
          .satisfies(role -> assertThat(grantsOf(role)).isEqualTo(CLUSTER_TEMPLATE_GRANTS));
      assertBound(r, "ClusterRoleBinding", "ClusterRole", "stagegate-cluster-check-templates");
      List<JsonNode> roles = r.ofKind("Role").stream()
          .filter(role -> role.path("metadata").path("name").asText().equals("stagegate")).toList();
      assertThat(roles).extracting(role -> role.path("metadata").path("namespace").asText())
          .containsExactlyInAnyOrder("shop", "billing");
      roles.forEach(role -> assertThat(grantsOf(role)).isEqualTo(WORKLOAD_GRANTS));
      assertThat(r.ofKind("RoleBinding")).extracting(b -> b.path("metadata").path("namespace").asText())
          .containsExactlyInAnyOrder("shop", "billing", HelmChart.NAMESPACE);
      assertThat(r.env()).containsEntry("STAGEGATE_WATCH_NAMESPACES", "shop,billing");
    }

    @Test
    @DisplayName("given a custom lease name, then the Lease grants name it and the operator is told it")
    void leaseName() {
      Rendered r = HelmChart.template(List.of("leaderElection.leaseName=sg-leader"));
      assertThat(grantsOf(r.find("Role", "stagegate-leader-election").orElseThrow())).contains(
          "coordination.k8s.io leases get @sg-leader", "coordination.k8s.io leases update @sg-leader");
      assertThat(r.env()).containsEntry("STAGEGATE_LEASE_NAME", "sg-leader");
    }

    @Test
    @DisplayName("given leader election off, then no Lease may be touched at all")
    void noLeaderElection() {
      Rendered r = HelmChart.template(List.of("leaderElection.enabled=false"));
      assertThat(r.ofKind("Role")).isEmpty();
      assertThat(r.env()).containsEntry("STAGEGATE_LEADER_ELECTION", "false");
    }

    private void assertBound(Rendered r, String bindingKind, String roleKind, String name) {
      JsonNode binding = r.find(bindingKind, name).orElseThrow();
      assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo(roleKind);
      assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(name);
      JsonNode subject = binding.path("subjects").get(0);
      assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
      assertThat(subject.path("name").asText())
          .isEqualTo(r.one("Deployment").path("spec").path("template").path("spec").path("serviceAccountName").asText());
      assertThat(subject.path("namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
    }
  }

  @Test
  @DisplayName("given default values, then the pod runs non-root with a read-only root filesystem, no privilege escalation, no capabilities and seccomp RuntimeDefault")
  void hardenedSecurityContext() {
    Rendered r = HelmChart.template(List.of());
    JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
    JsonNode container = r.operatorContainer().path("securityContext");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(container.path("privileged").asBoolean()).isFalse();
    assertThat(container.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(container.path("capabilities").has("add")).isFalse();
    assertThat(container.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    assertThat(r.operatorContainer().path("volumeMounts").findValuesAsText("mountPath"))
        .as("a writable /tmp, since the root filesystem is read-only").contains("/tmp");
    assertThat(r.operatorContainer().path("resources").path("limits").path("memory").asText()).isNotEmpty();
  }

  @Test
  @DisplayName("given default values, then liveness and readiness probe /healthz and /readyz on the port the operator is told to serve")
  void probesPointAtTheOperatorsEndpoints() {
    Rendered r = HelmChart.template(List.of("port=9090"));
    JsonNode container = r.operatorContainer();
    JsonNode port = container.path("ports").get(0);
    assertThat(port.path("containerPort").asInt()).isEqualTo(9090);
    assertThat(r.env()).containsEntry("STAGEGATE_PORT", "9090");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      assertThat(container.path(probe).path("httpGet").path("port").asText()).isEqualTo(port.path("name").asText());
    }
    assertThat(r.one("Service").path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo(port.path("name").asText());
  }

  @Nested
  @DisplayName("values.schema.json")
  class Schema {
    @Test
    @DisplayName("given replicas: \"two\", then install fails naming /replicas and the expected integer")
    void replicasMustBeANumber() {
      assertRejected(List.of("replicas=two"), "/replicas", "want integer");
    }

    @Test
    @DisplayName("given logFormat: xml, then install fails naming /logFormat and the allowed values")
    void logFormatIsPlainOrJson() {
      assertRejected(List.of("logFormat=xml"), "/logFormat", "'plain', 'json'");
    }

    @Test
    @DisplayName("given a misspelt key, a bad duration, a bad URL or a bad namespace name, then install fails naming each")
    void otherMistakes() {
      assertRejected(List.of("replica=2"), "additional properties 'replica' not allowed");
      assertRejected(List.of("serviceMonitor.interval=30 seconds"), "/serviceMonitor/interval");
      assertRejected(List.of("prometheus.url=prometheus:9090"), "/prometheus/url");
      assertRejected(List.of("watchNamespaces={Shop}"), "/watchNamespaces/0");
      assertRejected(List.of("logLevel=verbose"), "/logLevel");
    }

    @Test
    @DisplayName("given negative reconcile threads or a resync that is not a duration, then install fails naming each")
    void scaleKnobsAreChecked() {
      assertRejected(List.of("scale.reconcileThreads=-1"), "/scale/reconcileThreads");
      assertRejected(List.of("scale.maxReconcileInterval=ten minutes"), "/scale/maxReconcileInterval");
      assertRejected(List.of("scale.prometheusConcurrency=0"), "/scale/prometheusConcurrency");
      assertRejected(List.of("scale.prometheusTimeout=10"), "/scale/prometheusTimeout");
    }

    @Test
    @DisplayName("given two replicas without leader election, then install fails saying why")
    void replicasNeedLeaderElection() {
      assertRejected(List.of("replicas=2", "leaderElection.enabled=false"), "replicas > 1 needs leaderElection.enabled=true");
    }

    private void assertRejected(List<String> values, String... messageParts) {
      Run run = HelmChart.templateRun(values);
      assertThat(run.exitCode()).as("helm template " + values + " must fail").isNotZero();
      assertThat(run.stderr()).as("message for " + values).contains(messageParts);
    }
  }

  /** "group resource verb,verb[ @name]" → one grant per verb (and name), so comparisons show exactly what differs. */
  static Set<String> grants(String... lines) {
    Set<String> out = new TreeSet<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      String name = parts.length > 3 ? " " + parts[3] : "";
      for (String verb : parts[2].split(",")) {
        out.add(parts[0] + " " + parts[1] + " " + verb + name);
      }
    }
    return out;
  }

  static Set<String> grantsOf(JsonNode role) {
    Set<String> out = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      List<String> names = new ArrayList<>();
      rule.path("resourceNames").forEach(n -> names.add(" @" + n.asText()));
      if (names.isEmpty()) {
        names.add("");
      }
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            for (String name : names) {
              String g = group.asText().isEmpty() ? "core" : group.asText();
              out.add(g + " " + resource.asText() + " " + verb.asText() + name);
            }
          }
        }
      }
    }
    return out;
  }
}
