package dev.stagegate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.stream.LongStream;

/**
 * Histogram buckets for JOSDK's reconcile timers, so reconcile latency percentiles (p50, p99) can be computed
 * by Prometheus or a benchmark over any span; JOSDK's timers carry only count and sum. A fixed, short list of
 * buckets keeps the series count small.
 */
public final class ReconcileLatencyBuckets {
  private static final double[] BUCKETS = LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
      .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();

  public static final MeterFilter FILTER = new MeterFilter() {
    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("operator.sdk.controllers.execution")) {
        return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS).build().merge(config);
      }
      return config;
    }
  };

  private ReconcileLatencyBuckets() {}
}
