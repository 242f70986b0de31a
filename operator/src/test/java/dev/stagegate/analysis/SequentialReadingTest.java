package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CounterReader.Field;
import dev.stagegate.analysis.QueryResult.Failed;
import dev.stagegate.analysis.RawSamples.Series;
import dev.stagegate.analysis.SequentialReading.Error;
import dev.stagegate.analysis.SequentialReading.Evaluated;
import dev.stagegate.analysis.SequentialReading.NoData;
import dev.stagegate.analysis.SequentialReading.Step;
import dev.stagegate.analysis.stats.CounterSample;
import dev.stagegate.analysis.stats.CounterSeries;
import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.analysis.stats.EvidenceUpdate;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.analysis.stats.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A sequential check read from raw counter samples")
class SequentialReadingTest {
  private static final String REQUESTS = "sum(http_requests_total{app=\"checkout\",revision=\"{{revision}}\"})";
  private static final String ERRORS = "sum(http_requests_total{app=\"checkout\",revision=\"{{revision}}\",code=~\"5..\"})";
  private static final QueryContext CONTEXT = new QueryContext("checkout", "shop", "v2", "v1");
  private static final Duration TIMEOUT = Duration.ofSeconds(5L);
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private final SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));
  private final Map<String, Field> counters = Map.of(
      "requests", new Field("spec.checks[0].sequential.requests", REQUESTS),
      "errors", new Field("spec.checks[0].sequential.errors", ERRORS));

  @Test
  @DisplayName("given a canary with five times stable's errors, when evaluated every 30 s, then every query is a plain range selector pinned to one time, and the canary is rolled back")
  void readsRawSamplesAtOnePinnedTime() {
    FakePrometheus prometheus = new FakePrometheus(Map.of("v1", 0.01, "v2", 0.05));
    SequentialReading reading = new SequentialReading(prometheus);
    SequentialState state = null;
    EvidenceOutcome outcome = null;

    for (int i = 0; i < 20 && outcome != EvidenceOutcome.ROLLBACK; i++) {
      Instant now = T0.plusSeconds(30L * i);
      Step step = reading.evaluate(this.check, List.of(Signal.errors()), this.counters, CONTEXT, state, now, TIMEOUT);
      SequentialResult result = ((Evaluated) step).result();
      state = result.state();
      outcome = result.outcome();
      assertThat(prometheus.times.subList(prometheus.times.size() - 4, prometheus.times.size())).containsOnly(new Instant[]{now});
    }

    assertThat(outcome).isEqualTo(EvidenceOutcome.ROLLBACK);
    assertThat(prometheus.queries)
      .contains(
        new String[]{
          "http_requests_total{app=\"checkout\",revision=\"v2\"}[300s]", "http_requests_total{app=\"checkout\",revision=\"v2\",code=~\"5..\"}[300s]"
        }
      );
    assertThat(prometheus.queries).allMatch(q -> !q.startsWith("sum("));
  }

  @Test
  @DisplayName("given an errors query that matches nothing, then the check has no data, naming the field; never zero errors")
  void emptyErrorsAreNoData() {
    FakePrometheus prometheus = new FakePrometheus(Map.of("v1", 0.01, "v2", 0.01));
    prometheus.errorsExist = false;
    Step step = new SequentialReading(prometheus).evaluate(this.check, List.of(Signal.errors()), this.counters, CONTEXT, null, T0, TIMEOUT);
    assertThat(step)
      .isInstanceOfSatisfying(
        NoData.class,
        n -> assertThat(n.message()).contains("spec.checks[0].sequential.errors matched no series for revision", "not zero")
      );
  }

  @Test
  @DisplayName("given increase() in the errors query, then the evaluation is an Error naming the field")
  void increaseIsAnError() {
    FakePrometheus prometheus = new FakePrometheus(Map.of("v1", 0.01, "v2", 0.01));
    Map<String, Field> withIncrease = Map.of(
      "requests",
      this.counters.get("requests"),
      "errors",
      new Field("spec.checks[0].sequential.errors", "sum(increase(http_requests_total{revision=\"{{revision}}\",code=~\"5..\"}[5m]))")
    );
    Step step = new SequentialReading(prometheus).evaluate(this.check, List.of(Signal.errors()), withIncrease, CONTEXT, null, T0, TIMEOUT);
    assertThat(step)
      .isInstanceOfSatisfying(
        Error.class, e -> assertThat(e.message()).startsWith("spec.checks[0].sequential.errors: increase() does not give a cumulative count")
      );
  }

  @Test
  @DisplayName("given requests reported by two reporters, then the evaluation is an Error saying which label to select")
  void doubleCountingIsAnError() {
    FakePrometheus prometheus = new FakePrometheus(Map.of("v1", 0.01, "v2", 0.01));
    prometheus.reporterLabel = "reporter-";
    Step step = new SequentialReading(prometheus).evaluate(this.check, List.of(Signal.errors()), this.counters, CONTEXT, null, T0, TIMEOUT);
    assertThat(step)
      .isInstanceOfSatisfying(Error.class, e -> assertThat(e.message()).contains("once per reporter"));
  }

  @Test
  @DisplayName("given a previous cut hours ago (operator down), then counting starts afresh instead of one giant interval")
  void oldCutRestarts() {
    FakePrometheus prometheus = new FakePrometheus(Map.of("v1", 0.01, "v2", 0.01));
    SequentialReading reading = new SequentialReading(prometheus);
    SequentialResult first = ((Evaluated) reading.evaluate(this.check, List.of(Signal.errors()), this.counters, CONTEXT, null, T0, TIMEOUT)).result();
    SequentialResult later = ((Evaluated) reading.evaluate(
        this.check, List.of(Signal.errors()), this.counters, CONTEXT, first.state(), T0.plus(Duration.ofHours(3L)), TIMEOUT
      ))
      .result();
    assertThat(later.update()).isEqualTo(EvidenceUpdate.BASELINE_RECORDED);
    assertThat(later.state().restarts()).isEqualTo(1L);
  }

  static final class FakePrometheus implements MetricsSource {
    private static final Pattern RANGE = Pattern.compile("\\[(\\d+)s]$");
    final List<String> queries = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();
    final Map<String, Double> errorRatio;
    boolean errorsExist = true;
    String reporterLabel;

    FakePrometheus(Map<String, Double> errorRatio) {
      this.errorRatio = errorRatio;
    }

    @Override
    public QueryResult query(String promql, Duration timeout) {
      return new Failed("instant queries are not used here");
    }

    @Override
    public RawSamples samples(String rangeSelector, Instant time, Duration timeout) {
      this.queries.add(rangeSelector);
      this.times.add(time);
      Matcher range = RANGE.matcher(rangeSelector);
      if (range.find() && !rangeSelector.contains("sum(")) {
        String revision = rangeSelector.contains("revision=\"v2\"") ? "v2" : "v1";
        boolean errors = rangeSelector.contains("code=~");
        if (errors && !this.errorsExist) {
          return new Series(List.of());
        } else {
          long end = time.toEpochMilli();
          long start = end - Long.parseLong(range.group(1)) * 1000L;
          List<CounterSeries> series = new ArrayList<>();

          for (int pod = 0; pod < 2; pod++) {
            long offset = (revision.equals("v2") ? 3000 : 9000) + pod * 4000;
            List<CounterSample> samples = new ArrayList<>();

            for (long t = T0.toEpochMilli() - 600000L + offset; t <= end; t += 15000L) {
              if (t > start) {
                double seconds = (t - T0.toEpochMilli() + 600000L) / 1000.0;
                double count = 100.0 * seconds * (errors ? this.errorRatio.get(revision) : 1.0);
                samples.add(new CounterSample(t, Math.floor(count)));
              }
            }

            Map<String, String> labels = new TreeMap<>(Map.of("pod", revision + "-" + pod, "revision", revision));
            if (this.reporterLabel != null) {
              labels.put("reporter", this.reporterLabel + pod);
            }

            series.add(new CounterSeries(labels, samples));
          }

          return new Series(series);
        }
      } else {
        return new dev.stagegate.analysis.RawSamples.Failed("bad_data: not a plain range selector: " + rangeSelector);
      }
    }
  }
}
