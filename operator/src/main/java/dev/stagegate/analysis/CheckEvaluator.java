package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.BaselineComparison;
import dev.stagegate.analysis.stats.Counts;
import dev.stagegate.api.BaselineCompare;
import dev.stagegate.api.Check;
import dev.stagegate.api.SequentialCheck;
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
      return sequential(check.getSequential(), context, previous);
    }
    Duration timeout = Durations.parseOr(check.getPrometheus().getTimeout(), DEFAULT_TIMEOUT);
    String query = check.getPrometheus().getQuery();
    Reading canary = read(query, context.forRevision(context.canaryRevision()), timeout);
    if (canary.outcome != null) {
      return canary.outcome;
    }
    CheckOutcome bounds = Thresholds.judge(canary.value, check.getMin(), check.getMax());
    if (check.getCompare() == null || bounds.result() == CheckResult.Fail) {
      return bounds;
    }
    // The same query for the stable revision over the same window: an incident hitting both cancels out.
    Reading stable = read(query, context.forRevision(context.stableRevision()), timeout);
    if (stable.outcome != null) {
      return new CheckOutcome(stable.outcome.result(), canary.value, null, "baseline (stable revision): "
          + stable.outcome.message(), false, null);
    }
    BaselineComparison.Outcome compared = comparisonFor(check.getCompare()).compare(canary.value, stable.value);
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
  private CheckOutcome sequential(SequentialCheck spec, QueryContext context, SequentialState previous) {
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
    // An empty errors result is no data, never zero errors: read as zero, a mistyped label would pass every canary.
    if (errors.outcome != null) {
      throw new MissingReading(errors.outcome.result() == CheckResult.NoData
          ? CheckOutcome.noData("errors: " + errors.outcome.message() + ". An absent counter is no data, not zero: "
              + "check the labels, or initialise the error counter at zero (most client libraries can)")
          : errors.outcome);
    }
    return Counts.of(requests.value, errors.value);
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
