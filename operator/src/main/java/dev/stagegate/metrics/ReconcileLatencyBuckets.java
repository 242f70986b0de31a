package dev.stagegate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Shapes JOSDK's reconcile timers: one timer per controller (not per resource) with a short, fixed list of
 * histogram buckets, so p50/p99 over any span can be computed by Prometheus or a benchmark.
 *
 * <p>With per-resource metrics on, JOSDK tags its timer with the resource's name and publishes a percentile
 * histogram: about 70 bucket series and a rotating histogram per resource, which made reconcile timing the
 * largest per-Release cost in `make bench-scale`. Per-resource counters (started, succeeded, failed) stay.
 */
public final class ReconcileLatencyBuckets {
  private static final String TIMER_PREFIX = "operator.sdk.controllers.execution";
  private static final Set<String> PER_RESOURCE = Set.of("resource_name", "resource_namespace", "name", "namespace");
  private static final double[] BUCKETS = LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
      .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();

  public static final MeterFilter FILTER = new MeterFilter() {
    @Override
    public Meter.Id map(Meter.Id id) {
      if (!id.getName().startsWith(TIMER_PREFIX)) {
        return id;
      }
      List<Tag> kept = id.getTags().stream().filter(t -> !PER_RESOURCE.contains(t.getKey().replace('.', '_'))).toList();
      return id.replaceTags(kept);
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (id.getType() == Meter.Type.TIMER && id.getName().startsWith(TIMER_PREFIX)) {
        return DistributionStatisticConfig.builder().percentilesHistogram(false).percentiles()
            .serviceLevelObjectives(BUCKETS).build().merge(config);
      }
      return config;
    }
  };

  private ReconcileLatencyBuckets() {}
}
