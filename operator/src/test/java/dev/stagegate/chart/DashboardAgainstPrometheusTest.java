package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.Release;
import dev.stagegate.api.ReleasePhase;
import dev.stagegate.chart.Dashboard.Target;
import dev.stagegate.examples.Examples;
import dev.stagegate.release.ReleaseWorkload;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.ReadyPodsByLabel;
import dev.stagegate.sandbox.RevisionMetricsApp;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alerts against live data: a real Prometheus scrapes the running operator
 * while the example Release (examples/release.yaml, sped up) is promoted once and rolled back once,
 * and a second Release's reconciles fail. Then every panel query must return data, and every metric
 * an alert reads must exist.
 */
@Tag("prometheus")
@Tag("tools")
@EnableKubernetesMockClient(crud = true)
class DashboardAgainstPrometheusTest {
  /** The job name the chart's ServiceMonitor gives the operator's scrape (the metrics Service's name). */
  static final String OPERATOR_JOB = "stagegate-metrics";
  static final String NAMESPACE = "shop";
  static final String BROKEN_NAMESPACE = "broken";
  private static final Duration WAIT = Duration.ofSeconds(120);
  /**
   * DataMigration metric names as the issue lists them, for panels and alerts no live data proves here
   * (this scenario runs no DataMigration). stagegate_verify_duration_seconds is a Micrometer timer, so
   * Prometheus sees its _sum, _count and _max series.
   */
  static final Set<String> MIGRATION_METRICS_FROM_THE_ISSUE = Set.of("stagegate_migration_phase",
      "stagegate_migration_stage", "stagegate_migration_rows", "stagegate_verify_mismatches",
      "stagegate_verify_duration_seconds_sum", "stagegate_verify_duration_seconds_count",
      "stagegate_verify_duration_seconds_max");

  static KubernetesClient client;
  static KubernetesMockServer server;

  private static RevisionMetricsApp app;
  private static PrometheusServer prometheus;
  private static OperatorHarness harness;
  private static String operatorMetrics;
  private static Set<String> liveNames;

  @BeforeAll
  static void runReleasesWhilePrometheusScrapes() throws Exception {
    // Deployments of the "broken" namespace cannot be created: its reconciles fail and JOSDK counts them.
    server.expect().post().withPath("/apis/apps/v1/namespaces/" + BROKEN_NAMESPACE + "/deployments")
        .andReturn(500, "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":500,\"message\":\"etcd unavailable\"}")
        .always();
    app = RevisionMetricsApp.builder("checkout").requestsPerSecond(200).defaults(0.002, Duration.ofMillis(40)).seed(11)
        .build().start();
    prometheus = new PrometheusServer(RealComponent.prometheus()).scrapeInterval(Duration.ofSeconds(1))
        // What examples/prometheus-relabel.yaml gives each series of the app's pods (revision comes from the app).
        .scrapeJob("checkout", List.of(app.hostPort()), Map.of("namespace", NAMESPACE))
        .start();
    harness = new OperatorHarness(client, NAMESPACE, OperatorSettings.forTests(prometheus.url()).withPort(0),
        MetricsSources.prometheus(prometheus.url(), PrometheusAuth.none()))
        .onReadinessChange(new ReadyPodsByLabel(Map.of("app", "checkout"), ReleaseWorkload.REVISION_LABEL,
            app::setTraffic))
        .start();
    prometheus.scrapeJob(OPERATOR_JOB, List.of("127.0.0.1:" + harness.operator().port()), Map.of());

    Release example = Examples.spedUp(Examples.release("release.yaml"), NAMESPACE);
    String image = example.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    harness.apply(example);
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    String v2 = RevisionHash.of(harness.changeImage("checkout", image + "-v2").getSpec().getTemplate());
    harness.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);

    Release v3Template = harness.get("checkout");
    v3Template.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image + "-v3");
    app.setErrorRate(RevisionHash.of(v3Template.getSpec().getTemplate()), 0.05);
    harness.changeImage("checkout", image + "-v3");
    harness.awaitPhase("checkout", ReleasePhase.RolledBack, WAIT);

    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(BROKEN_NAMESPACE).endMetadata().build()).create();
    client.resources(Release.class).inNamespace(BROKEN_NAMESPACE)
        .resource(Releases.named("api", BROKEN_NAMESPACE).stage("full", 100, "1s").build()).create();

    // Everything above must be in Prometheus before the queries run.
    prometheus.awaitScraped("stagegate_rollbacks_total{name=\"checkout\"} > 0", WAIT);
    // JOSDK creates the failure counter at 1 on the first failure: rate() sees failures from the second on.
    prometheus.awaitScraped("operator_sdk_reconciliations_failed_total > 1", WAIT);
    prometheus.awaitScraped("stagegate_check_value{check=\"latency-p99\"}", WAIT);
    Thread.sleep(3000);
    operatorMetrics = get("http://127.0.0.1:" + harness.operator().port() + "/metrics");
    liveNames = new TreeSet<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(prometheus.url() + "/api/v1/label/__name__/values"))
        .path("data").forEach(n -> liveNames.add(n.asText()));
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (app != null) {
      app.close();
    }
  }

  /** Values as a person picks them in Grafana: this namespace and Release, all DataMigrations. */
  private static final Map<String, String> VARIABLES = Map.of("namespace", NAMESPACE, "release", "checkout",
      "migration", ".*", "__rate_interval", "1m", "__range", "10m", "__interval", "1s");

  @Test
  @DisplayName("given the operator scraped during a promotion, a rollback and failing reconciles, then every Release and operator panel query returns data")
  void everyPanelQueryReturnsData() {
    List<String> empty = new ArrayList<>();
    List<String> unverified = new ArrayList<>();
    int run = 0;
    for (Target target : Dashboard.load().targets()) {
      Set<String> names = PromQlNames.metricNames(target.expr());
      if (awaitingMigrationMetrics(names)) {
        assertThat(MIGRATION_METRICS_FROM_THE_ISSUE).as("metric names of " + target.panel()).containsAll(names);
        unverified.add(target.panel() + " " + target.refId() + " " + names);
        continue;
      }
      String query = Dashboard.substitute(target.expr(), VARIABLES);
      run++;
      if (prometheus.query(query).isEmpty()) {
        empty.add(target.panel() + " " + target.refId() + ": " + query);
      }
    }
    report("panel queries not verified against live data yet (no DataMigration metrics exported)", unverified);
    assertThat(run).isGreaterThanOrEqualTo(13);
    assertThat(empty).as("panel queries that matched nothing").isEmpty();
  }

  @Test
  @DisplayName("given live data, then each panel shows the scenario: promoted once, rolled back once, weights, both checks with a max, failed reconciles")
  void panelsShowTheScenario() {
    assertThat(value("sum(increase(stagegate_rollbacks_total{namespace=\"shop\", name=\"checkout\"}[10m]))"))
        .isGreaterThan(0.5);
    assertThat(value("sum(increase(stagegate_promotions_total{namespace=\"shop\", name=\"checkout\"}[10m]))"))
        .isGreaterThan(0.5);
    assertThat(labels("max by (namespace, name, phase) (stagegate_release_phase{namespace=~\"shop\", name=~\"checkout\"}) == 1", "phase"))
        .containsExactly("RolledBack");
    assertThat(labels("max by (namespace, name, kind) (stagegate_release_weight{name=\"checkout\"})", "kind"))
        .containsExactlyInAnyOrder("requested", "actual");
    assertThat(labels("max by (namespace, name, check, bound) (stagegate_check_threshold{name=\"checkout\"} >= 0)", "check"))
        .containsExactlyInAnyOrder("error-rate", "latency-p99");
    assertThat(labels("sum by (kind) (rate(operator_sdk_reconciliations_failed_total[1m]))", "kind"))
        .containsExactly("Release");
  }

  @Test
  @DisplayName("given the template variables' queries, then namespace and release offer the scenario's values")
  void variablesOfferValues() {
    Map<String, JsonNode> variables = Dashboard.load().variables();
    assertThat(labelValues(Dashboard.variableQuery(variables.get("namespace")))).contains(NAMESPACE);
    assertThat(labelValues(Dashboard.variableQuery(variables.get("release")))).containsExactly("checkout");
    String migration = Dashboard.variableQuery(variables.get("migration"));
    assertThat(MIGRATION_METRICS_FROM_THE_ISSUE).containsAll(
        PromQlNames.metricNames(migration.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1")));
  }

  @Test
  @DisplayName("given the rendered alerts, then every metric they read exists in the live Prometheus, and the rollback and reconcile-error alerts match this scenario")
  void alertsReadLiveMetrics() {
    JsonNode groups = AlertRulesTest.renderedGroups(List.of());
    List<String> unverified = new ArrayList<>();
    Map<String, String> exprs = new TreeMap<>();
    groups.forEach(g -> g.path("rules").forEach(r -> exprs.put(r.path("alert").asText(), r.path("expr").asText())));
    for (var alert : exprs.entrySet()) {
      Set<String> names = PromQlNames.metricNames(alert.getValue());
      assertThat(names).as(alert.getKey()).isNotEmpty();
      if (awaitingMigrationMetrics(names)) {
        assertThat(MIGRATION_METRICS_FROM_THE_ISSUE).as(alert.getKey()).containsAll(names);
        unverified.add(alert.getKey() + " " + names);
        continue;
      }
      assertThat(liveNames).as("metrics read by " + alert.getKey()).containsAll(names);
      prometheus.query(alert.getValue()); // Prometheus accepts the expression as it is
    }
    report("alerts not verified against live data yet", unverified);
    assertThat(labels(exprs.get("StagegateReleaseRolledBack"), "name")).containsExactly("checkout");
    assertThat(labels(exprs.get("StagegateReconcileErrors"), "namespace")).containsExactly(BROKEN_NAMESPACE);
    assertThat(prometheus.query(exprs.get("StagegateOperatorDown"))).as("the operator is up").isEmpty();
    assertThat(prometheus.query(exprs.get("StagegateOperatorDown").replace(OPERATOR_JOB, "no-such-job")))
        .as("a job that is not scraped counts as down").hasSize(1);
  }

  @Test
  @DisplayName("given the operator's own /metrics, then the JOSDK reconcile metrics the dashboard and alerts use are exported under those names")
  void josdkMetricNamesComeFromTheLiveEndpoint() {
    Set<String> exported = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(operatorMetrics);
    while (m.find()) {
      String name = m.group(1);
      switch (m.group(2)) {
        case "counter" -> exported.add(name.endsWith("_total") ? name : name + "_total");
        case "histogram" -> exported.addAll(List.of(name + "_bucket", name + "_sum", name + "_count"));
        default -> exported.add(name);
      }
    }
    Set<String> used = new TreeSet<>();
    Dashboard.load().targets().forEach(t -> used.addAll(PromQlNames.metricNames(t.expr())));
    AlertRulesTest.renderedGroups(List.of()).forEach(g -> g.path("rules").forEach(r ->
        used.addAll(PromQlNames.metricNames(r.path("expr").asText()))));
    used.removeIf(n -> n.equals("up") || awaitingMigrationMetrics(Set.of(n)));
    System.out.println("metric names used by the dashboard and alerts, all exported by the operator: " + used);
    assertThat(exported).containsAll(used);
  }

  private static boolean awaitingMigrationMetrics(Set<String> names) {
    return names.stream().anyMatch(MIGRATION_METRICS_FROM_THE_ISSUE::contains)
        && names.stream().noneMatch(liveNames::contains);
  }

  private static void report(String what, List<String> items) {
    if (!items.isEmpty()) {
      System.out.println(what + ":\n  " + String.join("\n  ", items));
    }
  }

  private static double value(String promql) {
    List<PrometheusServer.Sample> samples = prometheus.query(promql);
    assertThat(samples).as(promql).hasSize(1);
    return samples.get(0).value();
  }

  private static Set<String> labels(String promql, String label) {
    Set<String> values = new TreeSet<>();
    prometheus.query(promql).forEach(s -> values.add(s.labels().get(label)));
    return values;
  }

  /** Grafana's label_values(selector, label), answered the way Grafana does: from the selector's series. */
  private static Set<String> labelValues(String variableQuery) {
    Matcher m = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$").matcher(variableQuery);
    assertThat(m.matches()).as(variableQuery).isTrue();
    return labels(Dashboard.substitute(m.group(1), VARIABLES), m.group(2));
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }
}
