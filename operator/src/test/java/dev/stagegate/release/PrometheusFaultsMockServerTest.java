package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.FaultyPrometheus;
import dev.stagegate.testing.FaultyPrometheus.Answer;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each way Prometheus can fail to give evidence, answered by a loopback fake mid-canary: the check reports it (Error or
 * NoData, saying why), the Release holds its stage past the stage's duration with no promotion, no rollback and no
 * failure counted, and once Prometheus answers properly again it goes on by itself to Promoted.
 */
@EnableKubernetesMockClient(crud = true)
class PrometheusFaultsMockServerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  static KubernetesClient client;
  private static int run;

  private FaultyPrometheus prometheus;
  private OperatorHarness harness;

  enum Fault {
    SLOW_PAST_THE_TIMEOUT(Answer.value("0").after(Duration.ofSeconds(4)), CheckResult.Error, "did not answer within 1s"),
    HTTP_500(new Answer(500, "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"query engine crashed\"}",
        Duration.ZERO), CheckResult.Error, "HTTP 500: internal: query engine crashed"),
    MALFORMED_JSON(Answer.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vec"), CheckResult.Error,
        "not JSON"),
    WARNINGS_PARTIAL_DATA(Answer.json("{\"status\":\"success\",\"warnings\":[\"store eu-west did not answer\"],"
        + "\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\"0\"]}]}}"),
        CheckResult.Error, "eu-west did not answer"),
    NAN(Answer.value("NaN"), CheckResult.NoData, "NaN"),
    INFINITY(Answer.value("+Inf"), CheckResult.NoData, "Infinity"),
    SEVERAL_SERIES(Answer.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"pod\":\"a\"},\"value\":[1700000000,\"0\"]},{\"metric\":{\"pod\":\"b\"},\"value\":[1700000000,\"0\"]}]}}"),
        CheckResult.Error, "2 series");

    final Answer answer;
    final CheckResult result;
    final String says;

    Fault(Answer answer, CheckResult result, String says) {
      this.answer = answer;
      this.result = result;
      this.says = says;
    }
  }

  @AfterEach
  void stop() {
    harness.close();
    prometheus.close();
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  @DisplayName("given a canary whose Prometheus answers with a fault, then the check says so, the stage holds past its duration without promotion, rollback or a counted failure, and it is promoted once Prometheus is healthy")
  void faultHoldsTheStageUntilPrometheusIsBack(Fault fault) {
    prometheus = new FaultyPrometheus();
    harness = new OperatorHarness(client, "faults-" + (++run), OperatorSettings.forTests(prometheus.url()),
        MetricsSources.prometheus(prometheus.url(), PrometheusAuth.none())).start();
    harness.apply(checkout().build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);

    // given the fault from the canary's first query on
    prometheus.answer(fault.answer);
    String v2 = RevisionHash.of(harness.changeImage("checkout", "example.com/checkout:v2"));

    Release holding = harness.awaitStatus("checkout", fault + " reported", r -> lastResult(r) == fault.result, WAIT);
    CheckStatus check = holding.getStatus().getChecks().get(0);
    assertThat(check.getMessage()).contains(fault.says);
    // The first stage lasts 1 s: held for 3 s more, nothing may complete, roll back or count as a failure.
    sleep(Duration.ofSeconds(3));
    Release held = harness.get("checkout");
    assertThat(held.getStatus().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(held.getStatus().getCanaryRevision()).isEqualTo(v2);
    assertThat(held.getStatus().getCurrentStage().getIndex()).isZero();
    assertThat(held.getStatus().getChecks().get(0).getConsecutiveFailures()).isZero();
    assertThat(lastResult(held)).isEqualTo(fault.result);
    assertThat(harness.eventReasons("checkout")).doesNotContain("StageCompleted", "CheckFailed", "RolledBack");

    // when Prometheus is healthy again, then it goes on by itself
    prometheus.answer(Answer.value("0.001"));
    harness.awaitStatus("checkout", "promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(harness.eventReasons("checkout")).doesNotContain("RolledBack", "CheckFailed");
  }

  private static CheckResult lastResult(Release r) {
    return r.getStatus().getChecks() == null || r.getStatus().getChecks().isEmpty() ? null
        : r.getStatus().getChecks().get(0).getLastResult();
  }

  private static Releases checkout() {
    Check check = new Check();
    check.setName("error-rate");
    check.setInterval("1s");
    check.setFailureLimit(2);
    check.setMax(0.02);
    PrometheusQuery query = new PrometheusQuery("sum(rate(http_errors_total{revision=\"{{revision}}\"}[1m]))");
    query.setTimeout("1s");
    check.setPrometheus(query);
    return Releases.named("checkout", "shop").stage("canary-10", 10, "1s").stage("full", 100, "1s").check(check);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
