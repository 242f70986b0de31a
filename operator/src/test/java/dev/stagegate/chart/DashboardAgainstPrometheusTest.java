package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.release.BaselineCompare;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.ClusterCheckTemplate;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.chart.Dashboard.Target;
import dev.stagegate.examples.Examples;
import dev.stagegate.release.ReleaseWorkload;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.sandbox.FakeJobRunner;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.ReadyPodsByLabel;
import dev.stagegate.sandbox.RevisionMetricsApp;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.PostgresServer;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * a second Release's reconciles fail, and two DataMigrations over a real PostgreSQL load UAT fixtures
 * (one rolls back, one pauses with its mismatches). Then every panel query must return data, and
 * every alert must read metrics the operator exports.
 */
@Tag("prometheus")
@Tag("postgres")
@Tag("tools")
@EnableKubernetesMockClient(crud = true)
class DashboardAgainstPrometheusTest {
  /** The job name the chart's ServiceMonitor gives the operator's scrape (the metrics Service's name). */
  static final String OPERATOR_JOB = "stagegate-metrics";
  static final String NAMESPACE = "shop";
  static final String BROKEN_NAMESPACE = "broken";
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** Rolls back after its pilot: the loader wrote fixtures. */
  static final String ROLLED_BACK = "members-2025";
  /** Same fixtures, onFailure: Pause: holds its pilot with the mismatches in status. */
  static final String PAUSED = "members-2025-paused";
  static final long MEMBERS = 2_000;
  /** The pilot's 10% of the members: every one of them a fixture, so every one changed. */
  static final long PILOT_ROWS = MEMBERS / 10;

  static KubernetesClient client;
  static KubernetesMockServer server;

  private static RevisionMetricsApp app;
  private static FakeJobRunner jobs;
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
    // The comparison with stable comes from a ClusterCheckTemplate, so the template panel has a series too.
    client.resource(againstStable(example.getSpec().getChecks().get(0))).create();
    Check fromTemplate = new Check();
    fromTemplate.setTemplateRef(new CheckTemplateRef(TemplateKind.ClusterCheckTemplate, "error-rate-vs-stable"));
    example.getSpec().getChecks().add(fromTemplate);
    String image = example.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    harness.apply(example);
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    String v2 = RevisionHash.of(harness.changeImage("checkout", image + "-v2"));
    harness.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);

    Release v3Template = harness.get("checkout");
    v3Template.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image + "-v3");
    app.setErrorRate(RevisionHash.of(v3Template), 0.05);
    harness.changeImage("checkout", image + "-v3");
    harness.awaitPhase("checkout", ReleasePhase.RolledBack, WAIT);

    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(BROKEN_NAMESPACE).endMetadata().build()).create();
    client.resources(Release.class).inNamespace(BROKEN_NAMESPACE)
        .resource(Releases.named("api", BROKEN_NAMESPACE).stage("full", 100, "1s").build()).create();

    // Everything above must be in Prometheus before the queries run.
    prometheus.awaitScraped("stagegate_rollbacks_total{name=\"checkout\"} > 0", WAIT);
    // A few failed retries, so the error panels have an increase to show whatever the scrape timing.
    prometheus.awaitScraped("stagegate_reconcile_errors_total{namespace=\"" + BROKEN_NAMESPACE + "\"} > 1", WAIT);
    prometheus.awaitScraped("stagegate_check_value{check=\"latency-p99\"}", WAIT);

    runMigrationsThatLoadFixtures();
    prometheus.awaitScraped("stagegate_migration_phase{name=\"" + ROLLED_BACK + "\", phase=\"RolledBack\"} == 1", WAIT);
    prometheus.awaitScraped("stagegate_migration_phase{name=\"" + PAUSED + "\", phase=\"Paused\"} == 1", WAIT);
    Thread.sleep(3000);
    operatorMetrics = get("http://127.0.0.1:" + harness.operator().port() + "/metrics");
    liveNames = new TreeSet<>();
    new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(prometheus.url() + "/api/v1/label/__name__/values"))
        .path("data").forEach(n -> liveNames.add(n.asText()));
  }

  /** The example's error-rate check, judged against the stable revision's (the baseline panel's series), as a template. */
  private static ClusterCheckTemplate againstStable(Check errorRate) {
    Check check = new Check();
    check.setInterval(errorRate.getInterval());
    check.setFailureLimit(errorRate.getFailureLimit());
    check.setPrometheus(errorRate.getPrometheus());
    BaselineCompare compare = new BaselineCompare();
    compare.setMaxDelta(0.01);
    check.setCompare(compare);
    CheckTemplateSpec spec = new CheckTemplateSpec();
    spec.setCheck(check);
    ClusterCheckTemplate template = new ClusterCheckTemplate();
    template.getMetadata().setName("error-rate-vs-stable");
    template.setSpec(spec);
    return template;
  }

  /**
   * The seed disaster in small: production and UAT sources under the same keys, a loader that reads UAT,
   * and two DataMigrations in the Release's namespace (the dashboard's namespace variable picks both kinds).
   */
  private static void runMigrationsThatLoadFixtures() throws SQLException {
    MemberTables.seedOnce("dash_members_prod", MEMBERS, false);
    MemberTables.seedOnce("dash_members_uat", MEMBERS, true);
    for (String target : List.of("dash_portal_a", "dash_portal_b")) {
      if (PostgresServer.createDatabase(target)) {
        try (Connection c = PostgresServer.connect(target)) {
          MemberTables.create(c);
        }
      }
    }
    MemberLoader loader = new MemberLoader(PostgresServer.jdbcUrl("dash_members_uat")).fault(MemberLoader.Fault.FIXTURES);
    jobs = FakeJobRunner.builder(client, loader).inNamespace(NAMESPACE).threads(2).build().start();
    secret("members-source", "dash_members_prod");
    secret("portal-a", "dash_portal_a");
    secret("portal-b", "dash_portal_b");
    create(migration(ROLLED_BACK, "portal-a").build());
    create(migration(PAUSED, "portal-b").pauseOnFailure().build());
    awaitMigration(ROLLED_BACK, MigrationPhase.RolledBack);
    awaitMigration(PAUSED, MigrationPhase.Paused);
  }

  private static DataMigrations migration(String name, String targetSecret) {
    List<EnvVar> env = List.of(DataMigrations.fromSecret("SOURCE_URL", "members-source", "jdbcUrl"),
        DataMigrations.fromSecret("SOURCE_USER", "members-source", "username"),
        DataMigrations.fromSecret("SOURCE_PASSWORD", "members-source", "password"),
        DataMigrations.fromSecret("TARGET_URL", targetSecret, "jdbcUrl"),
        DataMigrations.fromSecret("TARGET_USER", targetSecret, "username"),
        DataMigrations.fromSecret("TARGET_PASSWORD", targetSecret, "password"));
    return DataMigrations.named(name, NAMESPACE).source("members-source").target(targetSecret)
        .worker(DataMigrations.job("loader", env)).undo(DataMigrations.job("undo", env.subList(3, 6)))
        .stage("pilot", 10).stage("full", 100).compare("members-match", 0);
  }

  private static void secret(String name, String database) {
    Map<String, String> data = new TreeMap<>();
    Map.of("jdbcUrl", PostgresServer.jdbcUrl(database), "username", "postgres", "password", "not-a-real-one")
        .forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(NAMESPACE).endMetadata().withData(data).build()).create();
  }

  private static void create(DataMigration migration) {
    client.resources(DataMigration.class).inNamespace(NAMESPACE).resource(migration).create();
  }

  private static void awaitMigration(String name, MigrationPhase phase) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      DataMigration m = client.resources(DataMigration.class).inNamespace(NAMESPACE).withName(name).get();
      return m.getStatus() != null && m.getStatus().getPhase() == phase;
    });
  }

  @AfterAll
  static void stop() {
    if (jobs != null) {
      jobs.close();
    }
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

  /**
   * Values as a person picks them in Grafana: this namespace and Release, all its DataMigrations. The rate
   * window spans the whole scenario (Grafana's $__rate_interval grows with the time range shown), so a
   * slow machine that finishes the Release a few minutes before the queries still sees its evaluations.
   */
  private static final Map<String, String> VARIABLES = Map.of("namespace", NAMESPACE, "release", "checkout",
      "migration", ".*", "__rate_interval", "5m", "__range", "10m", "__interval", "1s");

  @Test
  @DisplayName("given the operator scraped during a promotion, a rollback, failing reconciles and two DataMigrations, then every panel query returns numbers")
  void everyPanelQueryReturnsData() {
    List<String> empty = new ArrayList<>();
    int run = 0;
    for (Target target : Dashboard.load().targets()) {
      String query = Dashboard.substitute(target.expr(), VARIABLES);
      run++;
      // NaN is what a gauge with nothing to report exports: a panel of NaN draws nothing.
      if (prometheus.query(query).stream().allMatch(s -> Double.isNaN(s.value()))) {
        empty.add(target.panel() + " " + target.refId() + ": " + query);
      }
    }
    assertThat(run).isEqualTo(Dashboard.load().targets().size()).isGreaterThanOrEqualTo(19);
    assertThat(empty).as("panel queries that matched nothing").isEmpty();
  }

  @Test
  @DisplayName("given live data, then each panel shows the scenario: promoted once, rolled back once, weights, the checks with a max, the one from a template, failed reconciles")
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
        .containsExactlyInAnyOrder("error-rate", "latency-p99", "error-rate-vs-stable");
    assertThat(labels("max by (check, template) (stagegate_check_template{name=\"checkout\"})", "template"))
        .containsExactly("ClusterCheckTemplate/error-rate-vs-stable");
    assertThat(value("max(stagegate_check_baseline{name=\"checkout\", check=\"error-rate-vs-stable\"})"))
        .as("the stable revision's error rate, last read while v3 ran").isBetween(0.0, 0.01);
    assertThat(labels("sum by (kind) (rate(stagegate_reconcile_errors_total[5m])) > 0", "kind"))
        .containsExactly("Release");
  }

  @Test
  @DisplayName("given two DataMigrations that loaded fixtures, then the migration panels show one rolled back and one paused at its pilot with every pilot row changed")
  void migrationPanelsShowTheScenario() {
    assertThat(labels("max by (namespace, name, phase) (stagegate_migration_phase{namespace=~\"shop\", name=~\"" + ROLLED_BACK
        + "\"}) == 1", "phase")).containsExactly("RolledBack");
    assertThat(labels("max by (namespace, name, phase) (stagegate_migration_phase{namespace=~\"shop\", name=~\"" + PAUSED
        + "\"}) == 1", "phase")).containsExactly("Paused");
    assertThat(value("max(stagegate_migration_stage{name=\"" + PAUSED + "\"})")).as("index of pilot").isZero();
    assertThat(value("max(stagegate_migration_rows_loaded{name=\"" + PAUSED + "\"})")).isEqualTo(PILOT_ROWS);
    assertThat(value("max(stagegate_migration_rows_to_migrate{name=\"" + PAUSED + "\"})")).isEqualTo(MEMBERS);
    assertThat(value("max(stagegate_migration_rows{name=\"" + PAUSED + "\", side=\"source\"})")).isEqualTo(PILOT_ROWS);
    assertThat(value("max(stagegate_migration_rows{name=\"" + PAUSED + "\", side=\"target\"})")).isEqualTo(PILOT_ROWS);
    assertThat(value("max(stagegate_verify_mismatches{name=\"" + PAUSED + "\", check=\"members-match\", kind=\"changed\"})"))
        .isEqualTo(PILOT_ROWS);
    assertThat(value("max(stagegate_verify_mismatches{name=\"" + PAUSED + "\", kind=\"missing\"})")).isZero();
    assertThat(value("max(stagegate_verify_duration_seconds_count{name=\"" + PAUSED + "\", check=\"members-match\"})"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value("max(stagegate_verify_last_duration_seconds{name=\"" + PAUSED + "\", check=\"members-match\"})"))
        .isPositive();
  }

  @Test
  @DisplayName("given the template variables' queries, then namespace and release offer the scenario's values")
  void variablesOfferValues() {
    Map<String, JsonNode> variables = Dashboard.load().variables();
    assertThat(labelValues(Dashboard.variableQuery(variables.get("namespace")))).contains(NAMESPACE);
    assertThat(labelValues(Dashboard.variableQuery(variables.get("release")))).containsExactly("checkout");
    assertThat(labelValues(Dashboard.variableQuery(variables.get("migration"))))
        .containsExactlyInAnyOrder(ROLLED_BACK, PAUSED);
  }

  @Test
  @DisplayName("given the rendered alerts, then every metric they read exists in the live Prometheus, and the rollback, reconcile-error and both migration alerts match this scenario")
  void alertsReadLiveMetrics() {
    JsonNode groups = AlertRulesTest.renderedGroups(List.of());
    Map<String, String> exprs = new TreeMap<>();
    groups.forEach(g -> g.path("rules").forEach(r -> exprs.put(r.path("alert").asText(), r.path("expr").asText())));
    for (var alert : exprs.entrySet()) {
      Set<String> names = PromQlNames.metricNames(alert.getValue());
      assertThat(names).as(alert.getKey()).isNotEmpty();
      assertThat(liveNames).as("metrics read by " + alert.getKey()).containsAll(names);
      prometheus.query(alert.getValue()); // Prometheus accepts the expression as it is
    }
    assertThat(labels(exprs.get("StagegateReleaseRolledBack"), "name")).containsExactly("checkout");
    assertThat(prometheus.query(exprs.get("StagegateMigrationFailed")))
        .extracting(s -> s.labels().get("name") + " " + s.labels().get("phase"))
        .containsExactly(ROLLED_BACK + " RolledBack");
    assertThat(prometheus.query(exprs.get("StagegateVerifyMismatches")))
        .extracting(s -> s.labels().get("name") + " " + s.labels().get("check") + " " + s.labels().get("kind") + " " + s.value())
        .containsExactly(PAUSED + " members-match changed " + (double) PILOT_ROWS);
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
        case "summary" -> exported.addAll(List.of(name, name + "_sum", name + "_count"));
        default -> exported.add(name);
      }
    }
    Set<String> used = new TreeSet<>();
    Dashboard.load().targets().forEach(t -> used.addAll(PromQlNames.metricNames(t.expr())));
    AlertRulesTest.renderedGroups(List.of()).forEach(g -> g.path("rules").forEach(r ->
        used.addAll(PromQlNames.metricNames(r.path("expr").asText()))));
    used.removeIf(n -> n.equals("up"));
    System.out.println("metric names used by the dashboard and alerts, all exported by the operator: " + used);
    assertThat(exported).containsAll(used);
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
