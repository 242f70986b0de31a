package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.release.BaselineCompare;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.ReadyPodsByLabel;
import dev.stagegate.sandbox.RevisionMetricsApp;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Baseline comparison and the sequential check, decided on real Prometheus data. */
@Tag("prometheus")
@EnableKubernetesMockClient(crud = true)
class ReleaseAnalysisPrometheusTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String ERRORS = "sum(http_requests_total{app=\"checkout\",revision=\"{{revision}}\",code=~\"5..\"})";
  private static final String REQUESTS = "sum(http_requests_total{app=\"checkout\",revision=\"{{revision}}\"})";
  private static final String ERROR_RATIO =
      "(sum(rate(http_requests_total{app=\"checkout\",revision=\"{{revision}}\",code=~\"5..\"}[10s])) or vector(0))"
          + " / sum(rate(http_requests_total{app=\"checkout\",revision=\"{{revision}}\"}[10s]))";
  static KubernetesClient client;
  private static int run;

  private RevisionMetricsApp app;
  private PrometheusServer prometheus;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    app = RevisionMetricsApp.builder("checkout").requestsPerSecond(300).defaults(0.005, Duration.ofMillis(40))
        .seed(11).build().start();
    prometheus = new PrometheusServer(RealComponent.prometheus()).scrapeInterval(Duration.ofSeconds(1))
        .scrapeJob("checkout", List.of(app.hostPort()), Map.of()).start();
    harness = new OperatorHarness(client, "analysis-" + (++run), OperatorSettings.forTests(prometheus.url()),
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

  private static Check sequential() {
    Check check = new Check();
    check.setName("errors-vs-stable");
    check.setInterval("1s");
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors(ERRORS);
    seq.setRequests(REQUESTS);
    seq.setMaxRelativeIncrease(0.2);
    seq.setFalseRollbackRate(0.01);
    check.setSequential(seq);
    return check;
  }

  private static Check baseline() {
    Check check = new Check();
    check.setName("error-ratio-vs-stable");
    check.setInterval("1s");
    check.setFailureLimit(2);
    check.setPrometheus(new PrometheusQuery(ERROR_RATIO));
    BaselineCompare compare = new BaselineCompare();
    compare.setMaxIncrease(0.5);
    compare.setMaxDelta(0.01);
    check.setCompare(compare);
    return check;
  }

  private static Releases stages(Releases r, String firstStage) {
    return r.stage("canary-10", 10, firstStage).stage("canary-50", 50, "3s").stage("full", 100, "2s");
  }

  private static String revision(String image) {
    return RevisionHash.of(Releases.named("checkout", "x").image(image).build());
  }

  @Test
  @DisplayName("given a canary with ten times the stable error rate, when a sequential check watches it, then it is rolled back in the first stage with the evidence in status")
  void sequentialCheckCatchesABadCanary() {
    harness.apply(stages(Releases.named("checkout", "x"), "60s").check(sequential()).build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    app.setErrorRate(revision("v2"), 0.05);

    harness.changeImage("checkout", "example.com/checkout:v2");
    Release rolledBack = harness.awaitPhase("checkout", ReleasePhase.RolledBack, WAIT);

    assertThat(rolledBack.getStatus().getFailedRevision()).isEqualTo(revision("v2"));
    assertThat(rolledBack.getStatus().getMessage()).contains("errors-vs-stable").contains("ROLLBACK");
    assertThat(harness.eventReasons("checkout")).doesNotContain("StageCompleted");
  }

  @Test
  @DisplayName("given a shared incident raising errors for stable and canary alike, then a threshold check rolls back a good canary while baseline and sequential checks promote it")
  void sharedIncidentFoolsOnlyTheThreshold() {
    Check threshold = new Check();
    threshold.setName("error-rate");
    threshold.setInterval("1s");
    threshold.setFailureLimit(2);
    threshold.setPrometheus(new PrometheusQuery(ERROR_RATIO));
    threshold.setMax(0.02);
    // Enough traffic that a one-pod canary's 10 s error ratio is not mostly sampling noise
    // (at 300 req/s its first windows held ~100 requests and once read 0.18 for a true 0.065).
    app.setRequestsPerSecond(1500);
    harness.apply(stages(Releases.named("checkout", "x"), "4s").check(threshold).build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    app.setIncidentErrorRate(0.06);

    harness.changeImage("checkout", "example.com/checkout:v2");
    Release fooled = harness.awaitPhase("checkout", ReleasePhase.RolledBack, WAIT);
    assertThat(fooled.getStatus().getFailedRevision()).as("the fixed threshold blames the canary for the incident")
        .isEqualTo(revision("v2"));

    // Same incident, same healthy code, judged against the stable revision instead of a fixed number.
    harness.edit("checkout", r -> {
      r.getSpec().setChecks(new ArrayList<>(List.of(baseline(), sequential())));
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/checkout:v3");
      return r;
    });
    Release promoted = harness.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && revision("v3").equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(promoted.getStatus().getFailedRevision()).isNull();
    assertThat(harness.eventReasons("checkout").stream().filter("RolledBack"::equals).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("given a healthy canary with plenty of traffic, when the sequential check gathers evidence that it is no worse, then the stage ends before its duration")
  void sequentialEvidenceEndsAStageEarly() {
    // A busy service with a steady 5% of errors: evidence either way builds up within seconds.
    app.setRequestsPerSecond(2000);
    app.setIncidentErrorRate(0.05);
    Check check = sequential();
    check.getSequential().setMaxRelativeIncrease(0.5);
    harness.apply(Releases.named("checkout", "x").stage("canary-50", 50, "10m").stage("full", 100, "10m")
        .check(check).build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    harness.changeImage("checkout", "example.com/checkout:v2");

    Release promoted = harness.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && revision("v2").equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(promoted.getStatus().getFailedRevision()).isNull();
    harness.awaitEvents("checkout", WAIT, "StageCompleted", "Promoted");
  }

  static CheckStatus first(Release release) {
    return release.getStatus().getChecks().get(0);
  }
}
