package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.common.Conditions;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.ReadyPodsByLabel;
import dev.stagegate.sandbox.RevisionMetricsApp;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A check query with a syntax error, judged by the real Prometheus (Debian's package): it is a spec error naming the
 * check, raised once, not an Error the Release waits on forever.
 */
@Tag("prometheus")
@EnableKubernetesMockClient(crud = true)
class InvalidQueryPrometheusTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String BROKEN = "sum(rate(http_requests_total{revision=\"{{revision}}\"}[10s])";
  static KubernetesClient client;

  private RevisionMetricsApp app;
  private PrometheusServer prometheus;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    app = RevisionMetricsApp.builder("checkout").requestsPerSecond(200).defaults(0.002, Duration.ofMillis(40)).seed(7)
        .build().start();
    prometheus = new PrometheusServer(RealComponent.prometheus()).scrapeInterval(Duration.ofSeconds(1))
        .scrapeJob("checkout", List.of(app.hostPort()), Map.of()).start();
    harness = new OperatorHarness(client, "shop", OperatorSettings.forTests(prometheus.url()),
        MetricsSources.prometheus(prometheus.url(), PrometheusAuth.none()))
        .onReadinessChange(new ReadyPodsByLabel(Map.of("app", "checkout"), ReleaseWorkload.REVISION_LABEL,
            app::setTraffic))
        .start();
  }

  @AfterEach
  void stop() {
    harness.close();
    prometheus.close();
    app.close();
  }

  @Test
  @DisplayName("given a canary whose check query Prometheus cannot parse, then the Release is Failed with InvalidQuery naming the check, once, held as it is; when the query is fixed it goes on to Promoted")
  void syntaxErrorIsASpecErrorNamingTheCheck() {
    harness.apply(Releases.named("checkout", "shop").stage("canary-10", 10, "2s").stage("full", 100, "2s")
        .errorRateCheck("1s", 2, 0.02).build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    String goodQuery = harness.get("checkout").getSpec().getChecks().get(0).getPrometheus().getQuery();

    // when v2 comes with a query missing its closing parenthesis
    Release edited = harness.edit("checkout", r -> {
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/checkout:v2");
      r.getSpec().getChecks().get(0).getPrometheus().setQuery(BROKEN);
      return r;
    });
    String v2 = RevisionHash.of(edited);

    Release failed = harness.awaitStatus("checkout", "InvalidQuery", r -> r.getStatus().getPhase() == ReleasePhase.Failed
        && "InvalidQuery".equals(stalledReason(r)), WAIT);
    assertThat(failed.getStatus().getMessage())
        .contains("spec.checks[0].prometheus.query (check 'error-rate')", "bad_data", "parse error");
    assertThat(failed.getStatus().getCanaryRevision()).isEqualTo(v2);
    Map<String, Integer> replicas = harness.replicasByRevision("checkout");

    // then it is held as it is: no new query, no promotion, no rollback, one Warning
    String evaluatedAt = failed.getStatus().getChecks().get(0).getLastEvaluationTime();
    sleep(Duration.ofSeconds(4));
    Release held = harness.get("checkout");
    assertThat(held.getStatus().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(held.getStatus().getChecks().get(0).getLastEvaluationTime()).as("no query asked again")
        .isEqualTo(evaluatedAt);
    assertThat(harness.replicasByRevision("checkout")).isEqualTo(replicas);
    List<String> reasons = harness.eventReasons("checkout");
    assertThat(Collections.frequency(reasons, "InvalidQuery")).isEqualTo(1);
    assertThat(reasons).doesNotContain("RolledBack", "CheckFailed");

    // when the query is fixed, then the canary goes on from its stage and is promoted
    harness.edit("checkout", r -> {
      r.getSpec().getChecks().get(0).getPrometheus().setQuery(goodQuery);
      return r;
    });
    harness.awaitStatus("checkout", "promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(harness.eventReasons("checkout")).doesNotContain("RolledBack");
  }

  private static String stalledReason(Release r) {
    var stalled = Conditions.find(r.getStatus().getConditions(), Conditions.STALLED);
    return stalled == null || !"True".equals(stalled.getStatus()) ? null : stalled.getReason();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
