package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialEvidence;

/**
 * One evaluation of a check.
 *
 * @param value the canary's value (null when there was none)
 * @param baseline the stable revision's value for a baseline compare, or the statistic of a sequential test
 * @param noWorse a sequential test found evidence the canary is no worse: its stage may end before its duration
 * @param sequential the sequential test's state to carry to the next evaluation
 * @param evidence what a sequential test concluded (null for other checks): only NO_WORSE is evidence that the canary
 *     is no worse; CONTINUE is a Pass today only in the sense "no evidence of harm", which a planner may treat
 *     differently; INCONCLUSIVE and NO_DATA are never a Pass
 * @param invalidQuery Prometheus refused the query text: an Error that no retry can clear, so a spec error
 */
public record CheckOutcome(CheckResult result, Double value, Double baseline, String message, boolean noWorse,
    SequentialEvidence sequential, EvidenceOutcome evidence, boolean invalidQuery) {

  public CheckOutcome(CheckResult result, Double value, Double baseline, String message, boolean noWorse,
      SequentialEvidence sequential, EvidenceOutcome evidence) {
    this(result, value, baseline, message, noWorse, sequential, evidence, false);
  }

  public CheckOutcome(CheckResult result, Double value, Double baseline, String message, boolean noWorse,
      SequentialEvidence sequential) {
    this(result, value, baseline, message, noWorse, sequential, null);
  }

  public static CheckOutcome pass(double value, String message) {
    return new CheckOutcome(CheckResult.Pass, value, null, message, false, null);
  }

  public static CheckOutcome fail(double value, String message) {
    return new CheckOutcome(CheckResult.Fail, value, null, message, false, null);
  }

  public static CheckOutcome noData(String message) {
    return new CheckOutcome(CheckResult.NoData, null, null, message, false, null);
  }

  public static CheckOutcome invalidQuery(String message) {
    return new CheckOutcome(CheckResult.Error, null, null, message, false, null, null, true);
  }

  public static CheckOutcome error(String message) {
    return new CheckOutcome(CheckResult.Error, null, null, message, false, null);
  }
}
