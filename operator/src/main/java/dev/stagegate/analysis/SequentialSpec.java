package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.Signal;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What either kind of sequential check is run with: its parameters, the signals it compares, and the counter queries
 * (with the field each comes from, for messages). Errors compare errors among requests; latency compares requests
 * slower than each chosen bucket among the histogram's count, one e-value per bucket averaged into one.
 *
 * @param counters one query per counter name of {@code signals}, in reading order
 */
public record SequentialSpec(SequentialConfig config, List<Signal> signals, Map<String, CounterReader.Field> counters) {

  public static SequentialSpec errors(SequentialCheck spec) {
    Map<String, CounterReader.Field> counters = new LinkedHashMap<>();
    counters.put(Signal.REQUESTS, new CounterReader.Field("sequential.requests", spec.getRequests()));
    counters.put(Signal.ERRORS, new CounterReader.Field("sequential.errors", spec.getErrors()));
    return new SequentialSpec(SequentialEvaluation.config(spec), List.of(Signal.errors()), counters);
  }

  public static SequentialSpec latency(SequentialLatencyCheck spec) {
    Map<String, CounterReader.Field> counters = new LinkedHashMap<>();
    counters.put(Signal.HISTOGRAM_COUNT, new CounterReader.Field("sequentialLatency.count", spec.getCount()));
    List<String> buckets = spec.getSlowerThan() == null ? List.of() : spec.getSlowerThan();
    for (String le : buckets) {
      counters.put(Signal.bucket(le), new CounterReader.Field("sequentialLatency.bucket", bucketQuery(spec, le)));
    }
    return new SequentialSpec(config(spec), buckets.stream().map(Signal::slowerThan).toList(), counters);
  }

  /** The bucket query for one le; {{le}} is filled here, before {{revision}}, escaped like every template value. */
  static String bucketQuery(SequentialLatencyCheck spec, String le) {
    return QueryTemplate.render(spec.getBucket() == null ? "" : spec.getBucket(), Map.of("le", le));
  }

  static SequentialConfig config(SequentialLatencyCheck spec) {
    return new SequentialConfig(
        spec.getMaxRelativeIncrease() == null ? SequentialCheck.DEFAULT_MAX_RELATIVE_INCREASE : spec.getMaxRelativeIncrease(),
        spec.getFalseRollbackRate() == null ? SequentialCheck.DEFAULT_FALSE_ROLLBACK_RATE : spec.getFalseRollbackRate(),
        spec.getFalsePromotionRate() == null ? SequentialCheck.DEFAULT_FALSE_PROMOTION_RATE : spec.getFalsePromotionRate());
  }

  SequentialErrorCheck check() {
    return new SequentialErrorCheck(config, signals.size());
  }
}
