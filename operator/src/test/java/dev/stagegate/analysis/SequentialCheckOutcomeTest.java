package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.CounterSample;
import dev.stagegate.analysis.stats.CounterSeries;
import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialEvidence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A Release's sequential check reads raw counter samples and never passes on nothing")
class SequentialCheckOutcomeTest {
  private static final String ERRORS = "sum(http_requests_total{revision=\"{{revision}}\",code=\"500\"})";
  private static final String REQUESTS = "sum(http_requests_total{revision=\"{{revision}}\"})";
  private static final QueryContext CONTEXT = new QueryContext("shop", "shop", "v2", "v1");
  private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");
  private static final int SCRAPE_SECONDS = 15;
  private static final Pattern RANGE = Pattern.compile("^(.*)\\[(\\d+)s]$");

  /** Requests per second and error ratio per revision; a revision without an entry has no errors series at all. */
  private final Map<String, double[]> traffic = new HashMap<>();
  private final Map<String, Boolean> errorsSeries = new HashMap<>();

  @Test
  @DisplayName("given the errors counter matches no series (a mistyped label), when evaluated, then NoData saying an absent counter is not zero, at every evaluation")
  void emptyErrorsIsNoData() {
    revision("v2", 10, 0.01, false);
    revision("v1", 90, 0.01, true);

    for (CheckOutcome outcome : evaluateEvery30s(6)) {
      assertThat(outcome.result()).isEqualTo(CheckResult.NoData);
      assertThat(outcome.message()).contains("sequential.errors").contains("no data, not zero");
    }
  }

  @Test
  @DisplayName("given the canary serves no requests, when evaluated repeatedly, then INCONCLUSIVE and NoData, never a Pass")
  void noComparableTrafficIsNoData() {
    revision("v2", 0, 0, true);
    revision("v1", 90, 0.01, true);

    for (CheckOutcome outcome : evaluateEvery30s(8)) {
      assertThat(outcome.result()).isEqualTo(CheckResult.NoData);
      assertThat(outcome.evidence()).isIn(EvidenceOutcome.INCONCLUSIVE, EvidenceOutcome.NO_DATA, null);
    }
  }

  @Test
  @DisplayName("given comparable traffic with the canary as good as stable, when evaluated, then the first readings are NoData and later ones report CONTINUE, not NO_WORSE")
  void continueIsReportedAsSuch() {
    revision("v2", 10, 0.01, true);
    revision("v1", 90, 0.01, true);

    List<CheckOutcome> outcomes = evaluateEvery30s(8);

    assertThat(outcomes.get(0).result()).isEqualTo(CheckResult.NoData);
    CheckOutcome last = outcomes.get(outcomes.size() - 1);
    assertThat(last.evidence()).isEqualTo(EvidenceOutcome.CONTINUE);
    assertThat(last.result()).isEqualTo(CheckResult.Pass);
    assertThat(last.noWorse()).isFalse();
    assertThat(last.message()).startsWith("CONTINUE:");
  }

  @Test
  @DisplayName("given a fivefold canary, when evaluated, then it fails with ROLLBACK")
  void fivefoldCanaryFails() {
    revision("v2", 10, 0.05, true);
    revision("v1", 90, 0.01, true);

    List<CheckOutcome> outcomes = evaluateEvery30s(20);

    assertThat(outcomes).extracting(CheckOutcome::evidence).contains(EvidenceOutcome.ROLLBACK);
    assertThat(outcomes.get(outcomes.size() - 1).result()).isEqualTo(CheckResult.Fail);
  }

  @Test
  @DisplayName("given an errors query over increase() windows, when evaluated, then Error naming the field, never a result")
  void rateQueriesAreRefusedAtRuntimeToo() {
    revision("v2", 10, 0.01, true);
    revision("v1", 90, 0.01, true);
    CheckQuery check = check("sum(increase(http_requests_total{revision=\"{{revision}}\",code=\"500\"}[5m]))");

    CheckOutcome outcome = new CheckEvaluator(metrics(), at(START.plusSeconds(60))).evaluate(check, CONTEXT, null);

    assertThat(outcome.result()).isEqualTo(CheckResult.Error);
    assertThat(outcome.message()).contains("sequential.errors: increase()");
  }

  @Test
  @DisplayName("given falsePromotionRate 0.2 in the spec, when evaluated, then the check judges NO_WORSE at 1/0.2 and the status shows beta 0.2")
  void betaComesFromTheSpec() {
    revision("v2", 10, 0.01, true);
    revision("v1", 90, 0.01, true);
    SequentialCheck seq = check(ERRORS).sequential();
    seq.setFalsePromotionRate(0.2);

    SequentialEvidence status = evaluateEvery30s(3, seq).get(2).sequential();

    assertThat(status.getFalsePromotionRate()).isEqualTo(0.2);
    assertThat(status.getNoWorseAt()).isEqualTo(0.699);
    assertThat(status.getFalseRollbackRate()).isEqualTo(0.01);
  }

  @Test
  @DisplayName("given a check judged with its share of a Release-level budget (0.02 over two checks), when evaluated, then the status shows that share and the rollback threshold follows it")
  void statusShowsTheShare() {
    revision("v2", 10, 0.01, true);
    revision("v1", 90, 0.01, true);
    SequentialCheck share = check(ERRORS).sequential().withFalseRollbackRate(0.01 / 2);

    SequentialEvidence status = evaluateEvery30s(3, share).get(2).sequential();

    assertThat(status.getFalseRollbackRate()).isEqualTo(0.005);
    assertThat(status.getRollbackAt()).isEqualTo(2.301);
  }

  @Test
  @DisplayName("given a canary as good as stable, when evaluated over several minutes, then the status first shows no detectable regression yet and later the smallest one the counted errors could have detected, shrinking as errors accumulate")
  void statusShowsTheSmallestDetectableRegression() {
    revision("v2", 50, 0.02, true);
    revision("v1", 50, 0.02, true);

    List<CheckOutcome> outcomes = evaluateEvery30s(20, check(ERRORS).sequential());

    assertThat(outcomes.get(0).sequential().getDetectableRelativeRisk()).isEqualTo("none yet");
    double later = Double.parseDouble(outcomes.get(9).sequential().getDetectableRelativeRisk());
    double last = Double.parseDouble(outcomes.get(19).sequential().getDetectableRelativeRisk());
    assertThat(later).isGreaterThan(1.2);
    assertThat(last).isGreaterThan(1.2).isLessThan(later);
    assertThat(outcomes.get(19).message()).contains("detectable so far: canary >= ");
  }

  private void revision(String revision, double requestsPerSecond, double errorRatio, boolean hasErrorsSeries) {
    traffic.put(revision, new double[] {requestsPerSecond, errorRatio});
    errorsSeries.put(revision, hasErrorsSeries);
  }

  /** Evaluations at 30 s, 60 s, ...: each with the clock at that instant and the state the previous one stored. */
  private List<CheckOutcome> evaluateEvery30s(int evaluations) {
    return evaluateEvery30s(evaluations, check(ERRORS).sequential());
  }

  private List<CheckOutcome> evaluateEvery30s(int evaluations, SequentialCheck spec) {
    List<CheckOutcome> outcomes = new ArrayList<>();
    SequentialEvidence state = null;
    for (int i = 1; i <= evaluations; i++) {
      CheckOutcome outcome = new CheckEvaluator(metrics(), at(START.plusSeconds(30L * i)))
          .evaluate(new CheckQuery(null, null, null, null, null, spec), CONTEXT, state);
      outcomes.add(outcome);
      state = outcome.sequential();
    }
    return outcomes;
  }

  /**
   * One scrape target per revision scraped every 15 s, counting whole requests and errors at a constant rate; answers
   * only range selectors (raw samples), as the sequential check reads them.
   */
  private MetricsSource metrics() {
    return new MetricsSource() {
      @Override
      public QueryResult query(String promql, Duration timeout) {
        throw new AssertionError("a sequential check reads raw samples, not instant values: " + promql);
      }

      @Override
      public RawSamples samples(String rangeSelector, Instant time, Duration timeout) {
        Matcher m = RANGE.matcher(rangeSelector);
        assertThat(m.matches()).as(rangeSelector).isTrue();
        String selector = m.group(1);
        Instant from = time.minusSeconds(Long.parseLong(m.group(2)));
        String revision = selector.replaceAll(".*revision=\"([^\"]+)\".*", "$1");
        boolean errors = selector.contains("code=\"500\"");
        double[] t = traffic.get(revision);
        if (t == null || (errors && !errorsSeries.get(revision))) {
          return new RawSamples.Series(List.of());
        }
        List<CounterSample> samples = new ArrayList<>();
        for (long s = 0; !START.plusSeconds(s).isAfter(time); s += SCRAPE_SECONDS) {
          if (!START.plusSeconds(s).isBefore(from)) {
            double requests = Math.floor(t[0] * s);
            samples.add(new CounterSample(START.plusSeconds(s).toEpochMilli(),
                errors ? Math.floor(requests * t[1]) : requests));
          }
        }
        return new RawSamples.Series(List.of(new CounterSeries(Map.of("revision", revision), samples)));
      }
    };
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  private static CheckQuery check(String errors) {
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors(errors);
    seq.setRequests(REQUESTS);
    return new CheckQuery(null, null, null, null, null, seq);
  }
}
