package dev.stagegate.testing;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.QueryResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in Prometheus for migration verify checks: every query gets the same scripted answer (a value,
 * an empty vector, a failure). {@link #block()} makes queries wait until released, so a test can restart
 * the operator while a verification is in flight.
 */
public final class GatedMetrics implements MetricsSources {
  private volatile QueryResult answer = new QueryResult.Value(0.0);
  private volatile CountDownLatch gate;
  private final CountDownLatch waiting = new CountDownLatch(1);
  private final List<String> queries = new CopyOnWriteArrayList<>();

  public GatedMetrics answer(QueryResult result) {
    answer = result;
    return this;
  }

  public GatedMetrics value(double value) {
    return answer(new QueryResult.Value(value));
  }

  /** Queries wait from now on until {@link #release()}. */
  public GatedMetrics block() {
    gate = new CountDownLatch(1);
    return this;
  }

  public void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** True once a query is waiting at the gate. */
  public boolean awaitWaiting(long seconds) throws InterruptedException {
    return waiting.await(seconds, TimeUnit.SECONDS);
  }

  /** Every query asked, in order (rendered, so {{name}} and {{stage}} are filled in). */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  @Override
  public MetricsSource forTarget(String url, Optional<Map<String, String>> secret) {
    return this::query;
  }

  private QueryResult query(String promql, Duration timeout) {
    queries.add(promql);
    CountDownLatch g = gate;
    if (g != null) {
      waiting.countDown();
      try {
        if (!g.await(5, TimeUnit.MINUTES)) {
          return new QueryResult.Failed("held too long");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new QueryResult.Failed("interrupted");
      }
    }
    return answer;
  }
}
