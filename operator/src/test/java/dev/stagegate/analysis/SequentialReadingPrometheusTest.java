package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CounterReader.Field;
import dev.stagegate.analysis.SequentialReading.Error;
import dev.stagegate.analysis.SequentialReading.Evaluated;
import dev.stagegate.analysis.SequentialReading.Step;
import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.api.release.SequentialLatencyCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.analysis.stats.Signal;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.RevisionMetricsApp;
import dev.stagegate.testing.RealComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("prometheus")
@DisplayName("Sequential check on a real Prometheus with per-pod targets")
class SequentialReadingPrometheusTest {
  private static final String REQUESTS = "sum(http_requests_total{app=\"shop\",revision=\"{{revision}}\"})";
  private static final String ERRORS = "sum(http_requests_total{app=\"shop\",revision=\"{{revision}}\",code=\"500\"})";
  private static final Map<String, Field> COUNTERS = Map.of(
      "requests", new Field("spec.checks[0].sequential.requests", REQUESTS),
      "errors", new Field("spec.checks[0].sequential.errors", ERRORS));
  private static final SequentialSpec ERROR_CHECK = new SequentialSpec(
      new SequentialConfig(0.2, 0.01), List.of(Signal.errors()), COUNTERS);
  /** Requests slower than 50 ms and than 100 ms, read from the same scrapes as the errors. */
  private static final SequentialSpec LATENCY_CHECK = SequentialSpec.latency(latency("0.05", "0.1"));

  @Test
  @DisplayName("given per-pod scrapes every 15 s, a shared incident starting and ending mid-interval and counter resets on both revisions, then the good canary is never rolled back nor refused, and the fivefold (and threefold slower) canary is rolled back, by the errors check and by a latency check on histogram buckets")
  void perPodTargetsWithStaggeredScrapes() {
    // One Prometheus at a 15 s scrape interval keeps this tier under three minutes; 60 s scrapes and many seeds are
    // covered by the fast simulation (ScrapedStagePropertiesTest) on the same alignment code.
    Plan plan = new Plan(Duration.ofSeconds(15), 160, 45, 80, 100, 125);
    Run r = run(plan, 11);
    r.log().forEach(line -> System.out.println("15 s scrapes: " + line));

    assertThat(r.problems()).as("errors or no data after the first reading").isEmpty();
    assertThat(r.good().outcome()).as("good canary").isNotEqualTo(EvidenceOutcome.ROLLBACK);
    assertThat(r.good().state().intervals()).as("intervals with errors counted").isGreaterThanOrEqualTo(2);
    assertThat(r.good().state().canaryCounted().errors() / r.good().state().canaryCounted().requests())
        .as("the incident's errors were counted (base error rate 1%%)")
        .isGreaterThan(0.015);
    assertThat(r.good().state().counterResets()).as("the restarts were seen as resets").isGreaterThanOrEqualTo(1);
    assertThat(r.bad().outcome()).as("fivefold canary").isEqualTo(EvidenceOutcome.ROLLBACK);
    assertThat(r.goodLatency().outcome()).as("equally fast canary, latency check").isNotEqualTo(EvidenceOutcome.ROLLBACK);
    assertThat(r.goodLatency().state().intervals()).as("intervals with slow requests counted").isGreaterThanOrEqualTo(2);
    assertThat(r.badLatency().outcome()).as("canary three times slower on average, latency check")
        .isEqualTo(EvidenceOutcome.ROLLBACK);
  }

  private static SequentialLatencyCheck latency(String... les) {
    SequentialLatencyCheck spec = new SequentialLatencyCheck();
    spec.setBucket("sum(http_request_duration_seconds_bucket{app=\"shop\",revision=\"{{revision}}\",le=\"{{le}}\"})");
    spec.setCount("sum(http_request_duration_seconds_count{app=\"shop\",revision=\"{{revision}}\"})");
    spec.setSlowerThan(List.of(les));
    return spec;
  }

  /**
   * Three revisions behind one app (stable v1 with four pods, a good canary and one with five times the errors and three
   * times the mean latency, one pod each), each pod its own scrape target; both canaries are judged against v1 every
   * 10 s of wall time, by an errors check and a latency check on the same scrapes.
   */
  private static Run run(Plan plan, long seed) {
    try (RevisionMetricsApp app = RevisionMetricsApp.builder("shop")
            .seed(seed)
            .requestsPerSecond(600)
            .revision("v1", 0.01, Duration.ofMillis(40))
            .revision("v2", 0.01, Duration.ofMillis(40))
            .revision("v3", 0.05, Duration.ofMillis(120))
            .traffic(Map.of("v1", 4, "v2", 1, "v3", 1))
            .build()
            .start();
        PrometheusServer prometheus = new PrometheusServer(RealComponent.prometheus())
            .scrapeInterval(plan.scrape())
            .evaluationInterval(plan.scrape())
            .scrapePods("shop", app, Map.of("namespace", "shop"))
            .start()) {
      SequentialReading reading = new SequentialReading(new PrometheusClient(prometheus.url(), PrometheusAuth.none()));
      QueryContext good = new QueryContext("shop", "shop", "v2", "v1");
      QueryContext bad = new QueryContext("shop", "shop", "v3", "v1");
      SequentialResult goodResult = null;
      SequentialResult badResult = null;
      SequentialResult goodLatency = null;
      SequentialResult badLatency = null;
      List<String> problems = new ArrayList<>();
      List<String> log = new ArrayList<>();
      long started = System.nanoTime();
      boolean incidentOn = false;
      boolean stableRestarted = false;
      boolean canaryRestarted = false;
      for (int t = 10; t <= plan.stageSeconds(); t += 10) {
        sleepUntil(started, t);
        // The incident hits every revision alike, starting and ending 3 s after an evaluation: mid-interval.
        if (t >= plan.incidentFrom() && t < plan.incidentTo() && !incidentOn) {
          sleepUntil(started, t + 3);
          app.setIncidentErrorRate(0.2);
          incidentOn = true;
        } else if (t >= plan.incidentTo() && incidentOn) {
          sleepUntil(started, t + 3);
          app.setIncidentErrorRate(0.0);
          incidentOn = false;
        }
        if (t >= plan.restartStable() && !stableRestarted) {
          app.restartPod("v1-2");
          stableRestarted = true;
        }
        if (t >= plan.restartCanary() && !canaryRestarted) {
          app.restartPod("v2-0");
          canaryRestarted = true;
        }
        Instant now = Instant.now();
        goodResult = evaluate(reading, ERROR_CHECK, good, goodResult, now, t, problems, log);
        badResult = evaluate(reading, ERROR_CHECK, bad, badResult, now, t, problems, log);
        goodLatency = evaluate(reading, LATENCY_CHECK, good, goodLatency, now, t, problems, log);
        badLatency = evaluate(reading, LATENCY_CHECK, bad, badLatency, now, t, problems, log);
      }
      return new Run(plan, goodResult, badResult, goodLatency, badLatency, problems, log);
    }
  }

  private static SequentialResult evaluate(
    SequentialReading reading,
    SequentialSpec check,
    QueryContext context,
    SequentialResult previous,
    Instant now,
    int t,
    List<String> problems,
    List<String> log
  ) {
    SequentialState state = previous == null ? null : previous.state();
    Step step = reading.evaluate(check.check(), check.signals(), check.counters(), context, state, now,
        Duration.ofSeconds(10L));
    String who = "t=" + t + "s " + context.canaryRevision() + (check == LATENCY_CHECK ? " latency" : "");
    if (step instanceof Evaluated evaluated) {
      log.add(who + " " + evaluated.result().summary());
      return evaluated.result();
    } else {
      log.add(who + " " + step);
      if (step instanceof Error || previous != null) {
        problems.add(who + " " + step);
      }

      return previous;
    }
  }

  private static void sleepUntil(long startedNanos, int seconds) {
    long wait = startedNanos + seconds * 1000000000L - System.nanoTime();
    if (wait > 0L) {
      try {
        Thread.sleep(wait / 1000000L, (int)(wait % 1000000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private record Plan(Duration scrape, int stageSeconds, int incidentFrom, int incidentTo, int restartStable, int restartCanary) {
  }

  private record Run(Plan plan, SequentialResult good, SequentialResult bad, SequentialResult goodLatency,
      SequentialResult badLatency, List<String> problems, List<String> log) {
  }
}
