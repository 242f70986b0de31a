package dev.stagegate.testing;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the queries one operator instance makes: an instance that queries is one that reconciles. */
public final class CountingMetrics implements MetricsSources {
  private final MetricsSources delegate;
  private final AtomicInteger queries = new AtomicInteger();

  public CountingMetrics(MetricsSources delegate) {
    this.delegate = delegate;
  }

  public int queries() {
    return queries.get();
  }

  @Override
  public MetricsSource forTarget(String url, Optional<Map<String, String>> secret) {
    MetricsSource source = delegate.forTarget(url, secret);
    return (promql, timeout) -> {
      queries.incrementAndGet();
      return source.query(promql, timeout);
    };
  }
}
