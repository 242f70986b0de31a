package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.api.Check;
import dev.stagegate.api.CheckResult;
import dev.stagegate.api.SequentialCheck;
import dev.stagegate.api.SequentialState;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A sequential check's outcome never passes on nothing")
class SequentialCheckOutcomeTest {
  private static final String ERRORS = "sum(http_requests_total{revision=\"{{revision}}\",code=\"500\"})";
  private static final String REQUESTS = "sum(http_requests_total{revision=\"{{revision}}\"})";
  private static final QueryContext CONTEXT = new QueryContext("shop", "shop", "v2", "v1");

  /** Answers the four rendered queries from a table; a query not in it gets an empty vector. */
  private final Map<String, QueryResult> answers = new HashMap<>();
  private final CheckEvaluator evaluator = new CheckEvaluator((promql, timeout) ->
      answers.getOrDefault(promql, new QueryResult.Empty()));

  @Test
  @DisplayName("given the errors query matches no series (a mistyped label), when evaluated, then NoData saying an absent counter is not zero, at every evaluation")
  void emptyErrorsIsNoData() {
    SequentialState state = null;
    for (int i = 1; i <= 5; i++) {
      counts("v2", 1_000 * i, Double.NaN);
      counts("v1", 9_000 * i, 90 * i);

      CheckOutcome outcome = evaluator.evaluate(check(), CONTEXT, state);

      assertThat(outcome.result()).isEqualTo(CheckResult.NoData);
      assertThat(outcome.message()).contains("errors:").contains("no data, not zero");
      state = outcome.sequential();
    }
  }

  @Test
  @DisplayName("given the canary serves no requests, when evaluated repeatedly, then INCONCLUSIVE and NoData, never a Pass")
  void noComparableTrafficIsNoData() {
    SequentialState state = null;
    for (int i = 1; i <= 5; i++) {
      counts("v2", 0, 0);
      counts("v1", 9_000 * i, 90 * i);

      CheckOutcome outcome = evaluator.evaluate(check(), CONTEXT, state);

      assertThat(outcome.result()).isEqualTo(CheckResult.NoData);
      assertThat(outcome.evidence()).isIn(EvidenceOutcome.INCONCLUSIVE, EvidenceOutcome.NO_DATA);
      state = outcome.sequential();
    }
  }

  @Test
  @DisplayName("given comparable traffic with the canary no worse, when evaluated, then the first reading is only the baseline and later ones report CONTINUE, not NO_WORSE")
  void continueIsReportedAsSuch() {
    counts("v2", 1_000, 10);
    counts("v1", 9_000, 90);
    CheckOutcome first = evaluator.evaluate(check(), CONTEXT, null);
    counts("v2", 2_000, 20);
    counts("v1", 18_000, 180);

    CheckOutcome second = evaluator.evaluate(check(), CONTEXT, first.sequential());

    assertThat(first.result()).isEqualTo(CheckResult.NoData);
    assertThat(second.evidence()).isEqualTo(EvidenceOutcome.CONTINUE);
    assertThat(second.noWorse()).isFalse();
    assertThat(second.message()).startsWith("CONTINUE:");
  }

  @Test
  @DisplayName("given a fivefold canary, when evaluated, then it fails with ROLLBACK")
  void fivefoldCanaryFails() {
    counts("v2", 1_000, 10);
    counts("v1", 9_000, 90);
    CheckOutcome first = evaluator.evaluate(check(), CONTEXT, null);
    counts("v2", 3_000, 110);
    counts("v1", 27_000, 270);

    CheckOutcome second = evaluator.evaluate(check(), CONTEXT, first.sequential());

    assertThat(second.result()).isEqualTo(CheckResult.Fail);
    assertThat(second.evidence()).isEqualTo(EvidenceOutcome.ROLLBACK);
  }

  /** Cumulative counts of one revision; NaN errors leaves the errors query unanswered (empty vector). */
  private void counts(String revision, double requests, double errors) {
    answers.put(REQUESTS.replace("{{revision}}", revision), new QueryResult.Value(requests));
    if (Double.isNaN(errors)) {
      answers.remove(ERRORS.replace("{{revision}}", revision));
    } else {
      answers.put(ERRORS.replace("{{revision}}", revision), new QueryResult.Value(errors));
    }
  }

  private static Check check() {
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors(ERRORS);
    seq.setRequests(REQUESTS);
    Check check = new Check();
    check.setName("errors");
    check.setSequential(seq);
    return check;
  }
}
