package dev.stagegate.bench.scale;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one scrape of the operator's /metrics says about reconciles: JOSDK's reconcile timer (count and the
 * histogram buckets the operator adds), failed reconciles, and which resources each install reconciled.
 */
record ReconcileReading(double count, TreeMap<Double, Double> buckets, double failed, Set<String> resources) {
  private static final String TIMER = "operator_sdk_controllers_execution_reconcile_seconds";

  static ReconcileReading of(String text) {
    List<MetricsText.Sample> samples = MetricsText.parse(text);
    double count = 0;
    double failed = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Set<String> resources = new HashSet<>();
    for (MetricsText.Sample s : samples) {
      if (s.name().equals(TIMER + "_count")) {
        count += s.value();
      } else if (s.name().equals(TIMER + "_bucket")) {
        String le = s.labels().get("le");
        buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value(), Double::sum);
      } else if (s.name().contains("reconciliations_failed")) {
        failed += s.value();
      } else if (s.name().contains("reconciliations_started") && s.value() > 0) {
        String name = first(s.labels(), "name", "resource_name");
        if (name != null) {
          resources.add(first(s.labels(), "namespace", "resource_namespace") + "/" + name);
        }
      }
    }
    return new ReconcileReading(count, buckets, failed, resources);
  }

  private static String first(Map<String, String> labels, String... keys) {
    for (String k : keys) {
      if (labels.containsKey(k)) {
        return labels.get(k);
      }
    }
    return null;
  }

  static ReconcileReading empty() {
    return new ReconcileReading(0, new TreeMap<>(), 0, Set.of());
  }

  /** Reconciles between {@code before} and this reading. */
  double countSince(ReconcileReading before) {
    return count - before.count;
  }

  double failedSince(ReconcileReading before) {
    return failed - before.failed;
  }

  /** The q-quantile (0..1) in ms of the reconciles since {@code before}, interpolated within its bucket; -1 if none. */
  double quantileMillisSince(ReconcileReading before, double q) {
    double total = countSince(before);
    if (total <= 0 || buckets.isEmpty()) {
      return -1;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : buckets.entrySet()) {
      double cumulative = e.getValue() - before.buckets.getOrDefault(e.getKey(), 0.0);
      if (cumulative >= rank) {
        if (e.getKey().isInfinite()) {
          return lowerBound * 1000; // beyond the last bucket: report its bound as a floor
        }
        double inBucket = cumulative - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return (lowerBound + (e.getKey() - lowerBound) * fraction) * 1000;
      }
      lowerBound = e.getKey();
      lowerCount = cumulative;
    }
    return -1;
  }
}
