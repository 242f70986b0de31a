package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.BaselineComparison;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import java.time.Duration;

/**
 * What the evaluator needs to judge one query: the query, its bounds, an optional comparison with the
 * stable revision, or the sequential check. A migration check builds one without a Release-shaped Check.
 */
public record CheckQuery(String query, Duration timeout, Double min, Double max, BaselineComparison baseline,
    SequentialCheck sequential, SequentialLatencyCheck sequentialLatency) {
  public CheckQuery(String query, Duration timeout, Double min, Double max, BaselineComparison baseline,
      SequentialCheck sequential) {
    this(query, timeout, min, max, baseline, sequential, null);
  }

  public static CheckQuery bounded(String query, Duration timeout, Double min, Double max) {
    return new CheckQuery(query, timeout, min, max, null, null);
  }
}
