package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.BaselineComparison;
import dev.stagegate.analysis.stats.Counts;
import dev.stagegate.api.release.BaselineCompare;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialEvidence;
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

  public CheckOutcome evaluate(CheckQuery check, QueryContext context, SequentialEvidence previous) {
    if (check.sequential() != null) {
      return sequential(check.sequential(), context, previous);
    }
    Duration timeout = check.timeout() == null ? DEFAULT_TIMEOUT : check.timeout();
    String query = check.query();
    Reading canary = read(query, context.forRevision(context.canaryRevision()), timeout);
    if (canary.outcome != null) {
      return canary.outcome;
    }
    CheckOutcome bounds = Thresholds.judge(canary.value, check.min(), check.max());
    if (check.baseline() == null || bounds.result() == CheckResult.Fail) {
      return bounds;
    }
    // The same query for the stable revision over the same window: an incident hitting both cancels out.
    Reading stable = read(query, context.forRevision(context.stableRevision()), timeout);
    if (stable.outcome != null) {
      return new CheckOutcome(stable.outcome.result(), canary.value, null, "baseline (stable revision): "
          + stable.outcome.message(), false, null);
    }
    BaselineComparison.Outcome compared = check.baseline().compare(canary.value, stable.value);
    CheckResult result = switch (compared.verdict()) {
      case PASS -> CheckResult.Pass;
      case FAIL -> CheckResult.Fail;
      case NO_DATA -> CheckResult.NoData;
    };
    return new CheckOutcome(result, canary.value, stable.value, compared.reason(), false, null);
  }

  /** How a check's `compare` judges the canary against the stable revision. */
  public static BaselineComparison comparisonFor(BaselineCompare compare) {
    return new BaselineComparison(compare.getMaxIncrease(), compare.getMaxDelta(),
        BaselineComparison.Direction.HIGHER_IS_WORSE);
  }

  /** Four queries — errors and requests, canary and stable — feed the anytime-valid sequential test. */
  private CheckOutcome sequential(SequentialCheck spec, QueryContext context, SequentialEvidence previous) {
    Duration timeout = DEFAULT_TIMEOUT;
    Counts canary;
    Counts stable;
    try {
      canary = counts(spec, context.forRevision(context.canaryRevision()), timeout);
      stable = counts(spec, context.forRevision(context.stableRevision()), timeout);
    } catch (MissingReading missing) {
      return new CheckOutcome(missing.outcome.result(), null, null, missing.outcome.message(), false, previous);
    }
    return SequentialEvaluation.judge(spec, previous, canary, stable);
  }

  private Counts counts(SequentialCheck spec, java.util.Map<String, String> values, Duration timeout) {
    Reading requests = read(spec.getRequests(), values, timeout);
    if (requests.outcome != null) {
      throw new MissingReading(requests.outcome);
    }
    Reading errors = read(spec.getErrors(), values, timeout);
    // No error series yet while requests are counted means zero errors, not missing data.
    double errorCount = errors.outcome == null ? errors.value
        : errors.outcome.result() == CheckResult.NoData ? 0.0 : Double.NaN;
    if (Double.isNaN(errorCount)) {
      throw new MissingReading(errors.outcome);
    }
    return Counts.of(requests.value, errorCount);
  }

  private static final class MissingReading extends RuntimeException {
    private final transient CheckOutcome outcome;

    MissingReading(CheckOutcome outcome) {
      super(outcome.message(), null, false, false);
      this.outcome = outcome;
    }
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
