package dev.stagegate.analysis;

import java.time.Duration;

/** Somewhere to run an instant PromQL query. Real Prometheus in production and tests; a stub in planner-level tests. */
public interface MetricsSource {
  QueryResult query(String promql, Duration timeout);
}
