package dev.stagegate.demo;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.sandbox.RevisionMetricsApp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Only when no Prometheus can run: answers the two query shapes of examples/release.yaml (error ratio from
 * {@code http_requests_total}, {@code histogram_quantile} over {@code http_request_duration_seconds_bucket}) from
 * the demo app's own counters, and the loader-errors check of examples/datamigration.yaml from the loader's, over the query's window, as Prometheus would without its extrapolation. Any other
 * query is refused, so that a check never passes on something this does not understand.
 */
final class SimulatedMetrics implements MetricsSource {
  private static final Pattern REVISION = Pattern.compile("revision=\"([^\"]+)\"");
  private static final Pattern WINDOW = Pattern.compile("\\[(\\d+)([smh])]");
  private static final Pattern QUANTILE = Pattern.compile("histogram_quantile\\(\\s*([0-9.]+)");
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)}\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final int MAX_SNAPSHOTS = 300;

  private static final Pattern MIGRATION = Pattern.compile("migration=\"([^\"]+)\"");

  private final RevisionMetricsApp app;
  private final LoaderMetrics loader;
  /** Counter snapshots, newest last: (epoch millis, series key → value). */
  private final Deque<Map.Entry<Long, Map<String, Double>>> snapshots = new ArrayDeque<>();

  private final Clock clock;

  SimulatedMetrics(RevisionMetricsApp app, LoaderMetrics loader, Clock clock) {
    this.app = app;
    this.loader = loader;
    this.clock = clock;
  }

  @Override
  public synchronized QueryResult query(String promql, Duration timeout) {
    snapshot();
    Matcher migration = MIGRATION.matcher(promql);
    if (loader != null && promql.contains("loader_records_failed_total") && migration.find()) {
      // The demo's loader never fails a record: its total is also its increase over any window.
      return new QueryResult.Value(loader.failedTotal(migration.group(1)));
    }
    Matcher revision = REVISION.matcher(promql);
    if (!revision.find()) {
      return new QueryResult.Failed("simulated metrics: the query names no revision");
    }
    String rev = revision.group(1);
    Map<String, Double> increase = increaseOver(window(promql));
    if (increase == null) {
      return new QueryResult.Empty();
    }
    Matcher quantile = QUANTILE.matcher(promql);
    if (quantile.find() && promql.contains("http_request_duration_seconds_bucket")) {
      return quantile(Double.parseDouble(quantile.group(1)), rev, increase);
    }
    if (promql.contains("http_requests_total") && promql.contains("5..")) {
      double all = sum(increase, "http_requests_total", rev, null);
      double errors = sum(increase, "http_requests_total", rev, "500");
      return all <= 0 ? new QueryResult.Empty() : new QueryResult.Value(errors / all);
    }
    return new QueryResult.Failed("simulated metrics answer only the example's error-rate and latency queries");
  }

  private QueryResult quantile(double q, String rev, Map<String, Double> increase) {
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    increase.forEach((key, value) -> {
      Map<String, String> labels = labels(key);
      if (key.startsWith("http_request_duration_seconds_bucket{") && rev.equals(labels.get("revision"))) {
        String le = labels.get("le");
        cumulative.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value, Double::sum);
      }
    });
    if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
      return new QueryResult.Empty();
    }
    double rank = q * cumulative.lastEntry().getValue();
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return new QueryResult.Value(lowerBound);
        }
        double inBucket = bucket.getValue() - lowerCount;
        return new QueryResult.Value(lowerBound + (bucket.getKey() - lowerBound)
            * (inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket));
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return new QueryResult.Value(lowerBound);
  }

  private static double sum(Map<String, Double> increase, String metric, String rev, String code) {
    return increase.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "{")).filter(e -> {
      Map<String, String> labels = labels(e.getKey());
      return rev.equals(labels.get("revision")) && (code == null || code.equals(labels.get("code")));
    }).mapToDouble(Map.Entry::getValue).sum();
  }

  /** Increase of every series from the oldest snapshot inside the window to now; null without two snapshots. */
  private Map<String, Double> increaseOver(Duration window) {
    var newest = snapshots.peekLast();
    long from = newest.getKey() - window.toMillis();
    var oldest = snapshots.stream().filter(s -> s.getKey() >= from).findFirst().orElse(newest);
    if (oldest == newest) {
      return null;
    }
    Map<String, Double> increase = new HashMap<>();
    newest.getValue().forEach((key, value) -> increase.put(key, value - oldest.getValue().getOrDefault(key, 0.0)));
    return increase;
  }

  /** A snapshot at most every half second; checks come every few seconds, which is what the windows need. */
  private void snapshot() {
    long now = clock.millis();
    if (!snapshots.isEmpty() && now - snapshots.peekLast().getKey() < 500) {
      return;
    }
    Map<String, Double> values = new HashMap<>();
    for (String line : app.metricsText().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.find()) {
        values.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
      }
    }
    snapshots.addLast(Map.entry(now, values));
    while (snapshots.size() > MAX_SNAPSHOTS) {
      snapshots.removeFirst();
    }
  }

  private static Duration window(String promql) {
    Matcher m = WINDOW.matcher(promql);
    if (!m.find()) {
      return Duration.ofMinutes(1);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static Map<String, String> labels(String key) {
    Map<String, String> labels = new HashMap<>();
    Matcher m = LABEL.matcher(key.substring(key.indexOf('{') + 1));
    while (m.find()) {
      labels.put(m.group(1), m.group(2));
    }
    return labels;
  }
}
