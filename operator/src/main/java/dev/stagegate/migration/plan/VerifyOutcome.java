package dev.stagegate.migration.plan;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.datacompare.ComparisonResult;
import java.time.Duration;

/**
 * One evaluation of a verify check.
 *
 * @param unreachable a database could not be reached (the pause says so rather than NoEvidence)
 * @param value a Prometheus check's value
 * @param comparison a compare check's result
 * @param invalidQuery Prometheus refused the query text: an Error no retry can clear, so a spec error (InvalidQuery)
 */
public record VerifyOutcome(CheckResult result, boolean unreachable, String message, Double value,
    ComparisonResult comparison, Duration duration, boolean invalidQuery) {

  public VerifyOutcome(CheckResult result, boolean unreachable, String message, Double value,
      ComparisonResult comparison, Duration duration) {
    this(result, unreachable, message, value, comparison, duration, false);
  }

  public static VerifyOutcome error(String message, Duration duration) {
    return new VerifyOutcome(CheckResult.Error, false, message, null, null, duration);
  }

  public static VerifyOutcome unreachable(String message, Duration duration) {
    return new VerifyOutcome(CheckResult.Error, true, message, null, null, duration);
  }

  public static VerifyOutcome invalidQuery(String message, Duration duration) {
    return new VerifyOutcome(CheckResult.Error, false, message, null, null, duration, true);
  }
}
