package dev.stagegate.analysis;

import dev.stagegate.api.Check;
import dev.stagegate.api.CheckResult;
import dev.stagegate.api.Durations;
import dev.stagegate.api.SequentialState;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs one check's queries and judges the result. The judging is pure ({@link Thresholds}); this
 * class only adds the queries. Anything that is not a clean single number becomes NoData or Error,
 * never a Pass: a rollout must not advance on missing evidence.
 */
public final class CheckEvaluator {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final MetricsSource metrics;

  public CheckEvaluator(MetricsSource metrics) {
    this.metrics = metrics;
  }

  public CheckOutcome evaluate(Check check, QueryContext context, SequentialState previous) {
    if (check.getSequential() != null) {
      return new CheckOutcome(CheckResult.Error, null, null, "sequential checks are not available in this build",
          false, previous);
    }
    Duration timeout = Durations.parseOr(check.getPrometheus().getTimeout(), DEFAULT_TIMEOUT);
    String query = check.getPrometheus().getQuery();
    Reading canary = read(query, context.forRevision(context.canaryRevision()), timeout);
    if (canary.outcome != null) {
      return canary.outcome;
    }
    if (check.getCompare() != null) {
      return new CheckOutcome(CheckResult.Error, canary.value, null, "baseline compare is not available in this build",
          false, null);
    }
    return Thresholds.judge(canary.value, check.getMin(), check.getMax());
  }

  private Reading read(String template, java.util.Map<String, String> values, Duration timeout) {
    QueryResult result = metrics.query(QueryTemplate.render(template, values), timeout);
    if (result instanceof QueryResult.Value v) {
      if (Double.isNaN(v.value()) || Double.isInfinite(v.value())) {
        return new Reading(null, CheckOutcome.noData("query returned " + v.value()
            + " (no traffic yet, or a division by zero)"));
      }
      return new Reading(v.value(), null);
    }
    if (result instanceof QueryResult.Empty) {
      return new Reading(null, CheckOutcome.noData("query returned no series for revision " + values.get("revision")));
    }
    if (result instanceof QueryResult.Multiple m) {
      return new Reading(null, CheckOutcome.error("query returned " + m.series()
          + " series; a check needs one (aggregate with sum(...) or similar)"));
    }
    return new Reading(null, CheckOutcome.error(((QueryResult.Failed) result).message()));
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private record Reading(Double value, CheckOutcome outcome) {}
}
