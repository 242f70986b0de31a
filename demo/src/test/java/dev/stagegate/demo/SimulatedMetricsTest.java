package dev.stagegate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stagegate.analysis.QueryResult;
import dev.stagegate.sandbox.RevisionMetricsApp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The labelled fallback without Prometheus still answers the example's checks from real counts. */
class SimulatedMetricsTest {
  private static final String ERROR_RATE = "(sum(rate(http_requests_total{namespace=\"shop\", app=\"checkout\","
      + " revision=\"v3\", code=~\"5..\"}[2m])) or vector(0)) / sum(rate(http_requests_total{namespace=\"shop\","
      + " app=\"checkout\", revision=\"v3\"}[2m]))";
  private static final String P99 = "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{"
      + "namespace=\"shop\", app=\"checkout\", revision=\"v3\"}[2m])))";

  private static final class StepClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  @DisplayName("given a revision failing 8% of its requests, then the error-rate query gives about 0.08 and p99 latency a plausible value; before two snapshots it is no data")
  void errorRateAndLatencyFromTheAppsCounters() {
    RevisionMetricsApp app = RevisionMetricsApp.builder("checkout").requestsPerSecond(2000).seed(3)
        .revision("v3", 0.08, Duration.ofMillis(40)).traffic(Map.of("v3", 1)).build();
    StepClock clock = new StepClock();
    SimulatedMetrics metrics = new SimulatedMetrics(app, null, clock);

    assertThat(metrics.query(ERROR_RATE, Duration.ofSeconds(1))).isInstanceOf(QueryResult.Empty.class);
    app.simulate(Duration.ofSeconds(20));
    clock.now = clock.now.plusSeconds(20);
    QueryResult errors = metrics.query(ERROR_RATE, Duration.ofSeconds(1));
    QueryResult p99 = metrics.query(P99, Duration.ofSeconds(1));

    assertThat(((QueryResult.Value) errors).value()).isCloseTo(0.08, within(0.01));
    assertThat(((QueryResult.Value) p99).value()).isBetween(0.05, 0.25);
    assertThat(metrics.query("up", Duration.ofSeconds(1))).isInstanceOf(QueryResult.Failed.class);
  }
}
