package dev.stagegate.analysis;

import java.time.Duration;
import java.time.Instant;

/** Somewhere to run an instant PromQL query. Real Prometheus in production and tests; a stub in planner-level tests. */
public interface MetricsSource {
  QueryResult query(String promql, Duration timeout);

  /**
   * The query evaluated at {@code time}, so that several queries of one check read the same instant. Sources that
   * cannot pin a time say so rather than silently answering for "now".
   */
  default QueryResult query(String promql, Instant time, Duration timeout) {
    return new QueryResult.Failed("this metrics source cannot pin a query to a time");
  }

  /** Raw samples (with their timestamps) of a range selector such as {@code x_total{...}[5m]}, read at {@code time}. */
  default RawSamples samples(String rangeSelector, Instant time, Duration timeout) {
    return new RawSamples.Failed("this metrics source cannot read raw samples");
  }
}
