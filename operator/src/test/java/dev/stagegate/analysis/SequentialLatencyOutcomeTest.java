package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.CounterSample;
import dev.stagegate.analysis.stats.CounterSeries;
import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialLatencyCheck;
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

@DisplayName("A sequential latency check compares the share of requests slower than histogram buckets")
class SequentialLatencyOutcomeTest {
  private static final String BUCKET =
      "sum(http_request_duration_seconds_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})";
  private static final String COUNT = "sum(http_request_duration_seconds_count{revision=\"{{revision}}\"})";
  private static final QueryContext CONTEXT = new QueryContext("shop", "shop", "v2", "v1");
  private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");
  private static final int SCRAPE_SECONDS = 15;
  private static final Pattern RANGE = Pattern.compile("^(.*)\\[(\\d+)s]$");

  /** Per revision: requests per second, share slower than 0.25 s, share slower than 1 s. */
  private final Map<String, double[]> traffic = new HashMap<>();
  private final List<String> selectors = new ArrayList<>();

  @Test
  @DisplayName("given a canary with five times stable's share of requests slower than 0.25 s, when evaluated every 30 s, then it fails with ROLLBACK")
  void slowerCanaryIsRolledBack() {
    traffic.put("v2", new double[] {20, 0.10, 0.01});
    traffic.put("v1", new double[] {80, 0.02, 0.01});

    List<CheckOutcome> outcomes = evaluateEvery30s(20, latency("0.25", "1"));

    assertThat(outcomes).extracting(CheckOutcome::evidence).contains(EvidenceOutcome.ROLLBACK);
    assertThat(outcomes.get(outcomes.size() - 1).result()).isEqualTo(CheckResult.Fail);
    assertThat(outcomes.get(outcomes.size() - 1).message()).startsWith("ROLLBACK: canary ").contains(" slower than 0.25s vs stable ");
    assertThat(selectors).anySatisfy(s -> assertThat(s).contains("le=\"0.25\""))
        .anySatisfy(s -> assertThat(s).contains("le=\"1\"")).anySatisfy(s -> assertThat(s).contains("_count"));
  }

  @Test
  @DisplayName("given a canary as fast as stable in both buckets, when evaluated every 30 s for 10 minutes, then it never fails, ends CONTINUE, and the state holds one signal per bucket")
  void equallyFastCanaryIsNotRolledBack() {
    traffic.put("v2", new double[] {20, 0.05, 0.01});
    traffic.put("v1", new double[] {80, 0.05, 0.01});

    List<CheckOutcome> outcomes = evaluateEvery30s(20, latency("0.25", "1"));

    assertThat(outcomes).extracting(CheckOutcome::result).doesNotContain(CheckResult.Fail, CheckResult.Error);
    CheckOutcome last = outcomes.get(outcomes.size() - 1);
    assertThat(last.evidence()).isEqualTo(EvidenceOutcome.CONTINUE);
    assertThat(SequentialState.decode(last.sequential().getEncoded()).signals()).isEqualTo(2);
  }

  @Test
  @DisplayName("given a count query over rate() windows, when evaluated, then Error naming sequentialLatency.count, never a result")
  void rateCountIsRefusedAtRuntime() {
    traffic.put("v2", new double[] {20, 0.05, 0.01});
    traffic.put("v1", new double[] {80, 0.05, 0.01});
    SequentialLatencyCheck spec = latency("0.25");
    spec.setCount("sum(rate(http_request_duration_seconds_count{revision=\"{{revision}}\"}[5m]))");

    CheckOutcome outcome = evaluateEvery30s(1, spec).get(0);

    assertThat(outcome.result()).isEqualTo(CheckResult.Error);
    assertThat(outcome.message()).contains("sequentialLatency.count: rate()");
  }

  private static SequentialLatencyCheck latency(String... les) {
    SequentialLatencyCheck spec = new SequentialLatencyCheck();
    spec.setBucket(BUCKET);
    spec.setCount(COUNT);
    spec.setSlowerThan(new ArrayList<>(List.of(les)));
    return spec;
  }

  private List<CheckOutcome> evaluateEvery30s(int evaluations, SequentialLatencyCheck spec) {
    List<CheckOutcome> outcomes = new ArrayList<>();
    SequentialEvidence state = null;
    for (int i = 1; i <= evaluations; i++) {
      CheckOutcome outcome = new CheckEvaluator(metrics(), Clock.fixed(START.plusSeconds(30L * i), ZoneOffset.UTC))
          .evaluate(new CheckQuery(null, null, null, null, null, null, spec), CONTEXT, state);
      outcomes.add(outcome);
      state = outcome.sequential();
    }
    return outcomes;
  }

  /** One scrape target per revision scraped every 15 s; answers only range selectors (raw samples). */
  private MetricsSource metrics() {
    return new MetricsSource() {
      @Override
      public QueryResult query(String promql, Duration timeout) {
        throw new AssertionError("a sequential check reads raw samples, not instant values: " + promql);
      }

      @Override
      public RawSamples samples(String rangeSelector, Instant time, Duration timeout) {
        selectors.add(rangeSelector);
        Matcher m = RANGE.matcher(rangeSelector);
        assertThat(m.matches()).as(rangeSelector).isTrue();
        String selector = m.group(1);
        Instant from = time.minusSeconds(Long.parseLong(m.group(2)));
        String revision = selector.replaceAll(".*revision=\"([^\"]+)\".*", "$1");
        double[] t = traffic.get(revision);
        List<CounterSample> samples = new ArrayList<>();
        for (long s = 0; !START.plusSeconds(s).isAfter(time); s += SCRAPE_SECONDS) {
          if (!START.plusSeconds(s).isBefore(from)) {
            double requests = Math.floor(t[0] * s);
            double value = requests;
            if (selector.contains("le=\"0.25\"")) {
              value = requests - Math.floor(requests * t[1]);
            } else if (selector.contains("le=\"1\"")) {
              value = requests - Math.floor(requests * t[2]);
            }
            samples.add(new CounterSample(START.plusSeconds(s).toEpochMilli(), value));
          }
        }
        return new RawSamples.Series(List.of(new CounterSeries(Map.of("revision", revision), samples)));
      }
    };
  }
}
