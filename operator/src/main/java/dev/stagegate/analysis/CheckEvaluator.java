package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.BaselineComparison;
import dev.stagegate.api.release.BaselineCompare;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialEvidence;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one check's queries and judges the result. The judging is pure ({@link Thresholds}); this
 * class only adds the queries. Anything that is not a clean single number becomes NoData or Error,
 * never a Pass: a rollout must not advance on missing evidence.
 */
public final class CheckEvaluator {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final MetricsSource metrics;
  private final SequentialReading sequentialReading;
  private final Clock clock;

  public CheckEvaluator(MetricsSource metrics) {
    this(metrics, Clock.systemUTC());
  }

  /** {@code clock} gives the one instant all queries of a sequential evaluation are pinned to. */
  public CheckEvaluator(MetricsSource metrics, Clock clock) {
    this.metrics = metrics;
    this.sequentialReading = new SequentialReading(metrics);
    this.clock = clock;
  }

  public CheckOutcome evaluate(CheckQuery check, QueryContext context, SequentialEvidence previous) {
    if (check.sequential() != null) {
      return sequential(SequentialSpec.errors(check.sequential()), context, previous);
    }
    if (check.sequentialLatency() != null) {
      return sequential(SequentialSpec.latency(check.sequentialLatency()), context, previous);
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

  /**
   * The sequential test on raw counter samples: both counters of both revisions read at one instant, cut at a common
   * timestamp, the interval since the previous cut folded into the evidence. Refused or untrustworthy counters are an
   * Error saying what to fix; absent ones NoData; neither carries the evidence forward nor counts as a pass.
   */
  private CheckOutcome sequential(SequentialSpec spec, QueryContext context, SequentialEvidence previous) {
    SequentialReading.Step step = sequentialReading.evaluate(spec.check(), spec.signals(), spec.counters(), context,
        SequentialEvaluation.decode(previous), clock.instant(), DEFAULT_TIMEOUT);
    if (step instanceof SequentialReading.Error error) {
      return new CheckOutcome(CheckResult.Error, null, null, error.message(), false, previous);
    }
    if (step instanceof SequentialReading.NoData noData) {
      return new CheckOutcome(CheckResult.NoData, null, null, noData.message(), false, previous);
    }
    return SequentialEvaluation.judge(((SequentialReading.Evaluated) step).result(), spec.signals().get(0).name());
  }

  private Reading read(String template, Map<String, String> values, Duration timeout) {
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
    if (result instanceof QueryResult.Refused refused) {
      return new Reading(null, CheckOutcome.invalidQuery("Prometheus refused the query: " + refused.message()));
    }
    return new Reading(null, CheckOutcome.error(((QueryResult.Failed) result).message()));
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private record Reading(Double value, CheckOutcome outcome) {}
}
