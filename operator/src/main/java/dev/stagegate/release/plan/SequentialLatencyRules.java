package dev.stagegate.release.plan;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.SequentialLatencyCheck;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The operator's own check of a {@code sequentialLatency} check; each message names the field. */
final class SequentialLatencyRules {
  private SequentialLatencyRules() {
  }

  static void check(String field, Check check, List<String> errors) {
    SequentialLatencyCheck latency = check.getSequentialLatency();
    String at = field + ".sequentialLatency";
    if (latency.getBucket() == null || !latency.getBucket().contains("{{le}}")) {
      errors.add(at + ".bucket: must select one bucket with le=\"{{le}}\", e.g."
          + " sum(http_request_duration_seconds_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})");
    } else {
      // Refusals (rate(), increase(), ...) apply to the query as it is read, with a bucket filled in.
      ReleaseValidator.counterQuery(at + ".bucket", latency.getBucket().replace("{{le}}", "1"), errors);
    }
    ReleaseValidator.counterQuery(at + ".count", latency.getCount(), errors);
    buckets(at + ".slowerThan", latency.getSlowerThan(), errors);
    ReleaseValidator.rate(at + ".falseRollbackRate", latency.getFalseRollbackRate(), errors);
    ReleaseValidator.rate(at + ".falsePromotionRate", latency.getFalsePromotionRate(), errors);
    if (latency.getMaxRelativeIncrease() != null && latency.getMaxRelativeIncrease() < 0) {
      errors.add(at + ".maxRelativeIncrease: must not be negative");
    }
    if (check.getMin() != null || check.getMax() != null || check.getCompare() != null) {
      errors.add(field + ": min, max and compare do not apply to a sequential check");
    }
  }

  /** le values as the histogram writes them: finite, positive, distinct; nothing is slower than +Inf. */
  private static void buckets(String field, List<String> les, List<String> errors) {
    if (les == null || les.isEmpty() || les.size() > SequentialLatencyCheck.MAX_BUCKETS) {
      errors.add(field + ": needs 1 to " + SequentialLatencyCheck.MAX_BUCKETS + " le values, got "
          + (les == null ? 0 : les.size()));
      return;
    }
    Set<Double> seen = new HashSet<>();
    for (int i = 0; i < les.size(); i++) {
      String le = les.get(i);
      Double value = parse(le);
      if (value == null || !Double.isFinite(value) || value <= 0) {
        errors.add(field + "[" + i + "]: must be a positive finite bucket boundary in seconds as the histogram writes"
            + " it (e.g. \"0.5\"), got '" + le + "'");
      } else if (!seen.add(value)) {
        errors.add(field + "[" + i + "]: '" + le + "' is listed twice");
      }
    }
  }

  private static Double parse(String le) {
    try {
      return le == null ? null : Double.valueOf(le.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
