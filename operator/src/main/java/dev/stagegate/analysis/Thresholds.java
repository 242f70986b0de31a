package dev.stagegate.analysis;

/** A value against a check's bounds. */
public final class Thresholds {
  private Thresholds() {}

  public static CheckOutcome judge(double value, Double min, Double max) {
    if (max != null && value > max) {
      return CheckOutcome.fail(value, CheckEvaluator.number(value) + " is above max " + CheckEvaluator.number(max));
    }
    if (min != null && value < min) {
      return CheckOutcome.fail(value, CheckEvaluator.number(value) + " is below min " + CheckEvaluator.number(min));
    }
    return CheckOutcome.pass(value, CheckEvaluator.number(value) + " within "
        + (min == null ? "" : "min " + CheckEvaluator.number(min)) + (min != null && max != null ? ", " : "")
        + (max == null ? "" : "max " + CheckEvaluator.number(max)));
  }
}
