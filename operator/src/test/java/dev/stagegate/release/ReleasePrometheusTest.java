package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.common.Timestamps;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.ReadyPodsByLabel;
import dev.stagegate.sandbox.RevisionMetricsApp;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Release flow against a real Prometheus (Debian's package) scraping a simulated application
 * whose traffic follows the ready pods of each revision, exactly as a Service would split it.
 */
@Tag("prometheus")
@EnableKubernetesMockClient(crud = true)
class ReleasePrometheusTest {
  private static final Duration SCRAPE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(90);
  static KubernetesClient client;

  private RevisionMetricsApp app;
  private PrometheusServer prometheus;
  private OperatorHarness harness;

  private static int run;

  @BeforeEach
  void start() {
    // The mock server lives as long as the class: each test gets a namespace of its own.
    String namespace = "shop-" + (++run);
    app = RevisionMetricsApp.builder("checkout").requestsPerSecond(200).defaults(0.002, Duration.ofMillis(40)).seed(7).build().start();
    prometheus = new PrometheusServer(RealComponent.prometheus()).scrapeInterval(SCRAPE)
        .scrapeJob("checkout", List.of(app.hostPort()), Map.of()).start();
    harness = new OperatorHarness(client, namespace, OperatorSettings.forTests(prometheus.url()),
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

  private static Releases checkout(String firstStageDuration) {
    return Releases.named("checkout", "shop")
        .stage("canary-10", 10, firstStageDuration)
        .stage("canary-50", 50, "2s")
        .stage("full", 100, "2s")
        .errorRateCheck("1s", 2, 0.02);
  }

  private String deployV1AndChangeTo(Releases releases, String image) {
    harness.apply(releases.build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    return RevisionHash.of(harness.changeImage("checkout", image));
  }

  @Test
  @DisplayName("given real traffic and Prometheus, when a healthy revision rolls out, then every stage passes on real query results and it is promoted")
  void healthyRevisionIsPromoted() {
    String v2 = deployV1AndChangeTo(checkout("2s"), "example.com/checkout:v2");

    Release promoted = harness.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(harness.awaitEvents("checkout", WAIT, "StageCompleted", "Promoted")).doesNotContain("RolledBack");
    assertThat(app.requests(v2, "200")).as("the promoted revision served real traffic").isPositive();
    assertThat(promoted.getStatus().getCanaryRevision()).isNull();
  }

  @Test
  @DisplayName("given a revision with 5% errors, when it rolls out, then it is rolled back in the first stage within interval x failureLimit plus a scrape interval")
  void errorsAreRolledBackInTheFirstStage() {
    app.setErrorRate(RevisionHash.of(Releases.named("checkout", "shop").image("v2").build()), 0.05);
    String v2 = deployV1AndChangeTo(checkout("30s"), "example.com/checkout:v2");

    // The clock starts when Prometheus first shows the canary's errors (rate() needs two scrapes of a new series):
    // before that no check could have seen them.
    String canaryRate = "sum(rate(http_requests_total{app=\"checkout\",revision=\"" + v2 + "\",code=~\"5..\"}[10s])) > 0";
    org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .until(() -> !prometheus.query(canaryRate).isEmpty());
    Instant evidenceFrom = Instant.now();
    Release rolledBack = harness.awaitPhase("checkout", ReleasePhase.RolledBack, WAIT);
    Instant rolledBackAt = Instant.now();

    assertThat(rolledBack.getStatus().getFailedRevision()).isEqualTo(v2);
    assertThat(rolledBack.getStatus().getMessage()).contains("error-rate");
    Duration took = Duration.between(evidenceFrom, rolledBackAt);
    Duration bound = Duration.ofSeconds(1).multipliedBy(2).plus(SCRAPE);
    System.out.printf("rollback %d ms after Prometheus first showed canary errors (bound %d ms + 1500 ms polling slack)%n",
        took.toMillis(), bound.toMillis());
    assertThat(took).isLessThan(bound.plusMillis(1500));
    // Events are written just after the status that decided them.
    harness.awaitStatus("checkout", r -> harness.eventReasons("checkout").contains("RolledBack"), WAIT);
    assertThat(harness.eventReasons("checkout")).contains("CheckFailed").doesNotContain("StageCompleted");
  }

  @Test
  @DisplayName("given Prometheus stops mid-stage, then checks give Error, the release holds its stage without rollback or advance, and continues when Prometheus is back")
  void prometheusOutageHoldsTheStage() {
    String v2 = deployV1AndChangeTo(checkout("8s"), "example.com/checkout:v2");
    harness.awaitStatus("checkout", r -> r.getStatus().getChecks() != null && !r.getStatus().getChecks().isEmpty()
        && r.getStatus().getChecks().get(0).getLastResult() == CheckResult.Pass, WAIT);

    prometheus.stop();
    Release holding = harness.awaitStatus("checkout", r -> r.getStatus().getChecks().get(0).getLastResult()
        == CheckResult.Error, WAIT);
    CheckStatus check = holding.getStatus().getChecks().get(0);
    assertThat(check.getMessage()).contains("unreachable");
    // The stage the errors began in (on a loaded machine Prometheus may take seconds to stop, and a stage
    // whose checks still passed meanwhile may complete): no stage may complete while they last.
    var heldStage = holding.getStatus().getCurrentStage();
    sleep(Duration.ofSeconds(10));
    Release afterOutage = harness.get("checkout");
    assertThat(afterOutage.getStatus().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(afterOutage.getStatus().getCurrentStage().getIndex()).as("no advance on errors")
        .isEqualTo(heldStage.getIndex());
    assertThat(afterOutage.getStatus().getCurrentStage().getStartedAt()).isEqualTo(heldStage.getStartedAt());
    assertThat(afterOutage.getStatus().getChecks().get(0).getConsecutiveFailures()).isZero();

    prometheus.start();
    harness.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(harness.eventReasons("checkout")).doesNotContain("RolledBack");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
