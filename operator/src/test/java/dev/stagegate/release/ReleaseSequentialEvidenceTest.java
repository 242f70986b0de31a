package dev.stagegate.release;

import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.analysis.SequentialBudget;
import dev.stagegate.analysis.stats.Counts;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialDecision;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseAnalysis;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialEvidence;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A Release carries a sequential check's evidence across stages and restarts it on purpose")
class ReleaseSequentialEvidenceTest {
  private static final SequentialErrorCheck CHECK = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));

  @Test
  @DisplayName("given a sequential check that reached NO_WORSE in the first stage, when the next stage starts, then NO_WORSE must be re-earned at the new weight while the counts carry over")
  void noWorseIsReEarnedAtEachWeight() {
    SequentialResult noWorse = evidence(Counts.of(500_000, 5_000), Counts.of(500_000, 5_000));
    assertThat(noWorse.decision()).isEqualTo(SequentialDecision.NO_WORSE);
    ReleaseScenario s = sequential(ReleaseScenario.standard());
    s.script(ERROR_RATE, ctx -> new CheckOutcome(CheckResult.Pass, 0.01, null, "NO_WORSE", true, carried(noWorse)));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/shop:v2");

    s.runUntil(x -> x.status().getCurrentStage() != null && x.status().getCurrentStage().getIndex() == 1,
        Duration.ofMinutes(10));

    SequentialEvidence carried = s.checkStatus(ERROR_RATE).getSequential();
    assertThat(carried.getDecision()).isEqualTo(SequentialDecision.CONTINUE.name());
    SequentialState state = SequentialState.decode(carried.getEncoded());
    assertThat(state.decision()).isEqualTo(SequentialDecision.CONTINUE);
    assertThat(state.canaryCounted()).isEqualTo(noWorse.state().canaryCounted());
  }

  @Test
  @DisplayName("given a sequential check at NO_WORSE, when the 100% stage starts, then it keeps the earlier stages' evidence as it stands: without stable pods nothing could re-earn it")
  void fullStageKeepsTheEvidence() {
    SequentialResult noWorse = evidence(Counts.of(500_000, 5_000), Counts.of(500_000, 5_000));
    ReleaseScenario s = sequential(ReleaseScenario.standard());
    s.script(ERROR_RATE, ctx -> new CheckOutcome(CheckResult.Pass, 0.01, null, "NO_WORSE", true, carried(noWorse)));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/shop:v2");
    int last = s.release().getSpec().getStages().size() - 1;

    s.runUntil(x -> x.status().getCurrentStage() != null && x.status().getCurrentStage().getIndex() == last,
        Duration.ofMinutes(20));

    assertThat(s.release().getSpec().getStages().get(last).getWeight()).isEqualTo(100);
    assertThat(s.checkStatus(ERROR_RATE).getSequential().getDecision()).isEqualTo(SequentialDecision.NO_WORSE.name());
  }

  @Test
  @DisplayName("given onFailure: Pause and a sequential check at ROLLBACK, when `resume` is given, then its evidence restarts with an EvidenceRestarted Event, so it does not fail again at once")
  void resumeRestartsTheEvidence() {
    SequentialResult rollback = evidence(Counts.of(1_000, 100), Counts.of(9_000, 90));
    assertThat(rollback.decision()).isEqualTo(SequentialDecision.ROLLBACK);
    ReleaseScenario s = sequential(ReleaseScenario.standard()).edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    s.script(ERROR_RATE, ctx -> new CheckOutcome(CheckResult.Fail, 0.1, null, "ROLLBACK", false, carried(rollback)));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/shop:v2");
    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(10));
    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.CheckFailed.name());
    int mark = s.mark();

    s.annotate("resume");
    s.turnAfter(STEP);

    assertThat(s.reasonsSince(mark)).contains("Resumed", "EvidenceRestarted");
    SequentialState state = SequentialState.decode(s.checkStatus(ERROR_RATE).getSequential().getEncoded());
    assertThat(state.decision()).isEqualTo(SequentialDecision.CONTINUE);
    assertThat(state.restarts()).isEqualTo(1);
    assertThat(state.canaryCounted()).isEqualTo(Counts.of(0, 0));
  }

  @Test
  @DisplayName("given a sequential check counting evidence in a stage, when its falseRollbackRate is lowered from 0.01 to 0.005 mid-stage, then a ParametersChanged Event names the field and both values, and the status records the restart and its reason")
  void changedFalseRollbackRateIsAnnounced() {
    ReleaseScenario s = sequential(ReleaseScenario.standard());
    liveEvidence(s);
    s.deployFirstRevision();
    s.changeTemplate("registry.example/shop:v2");
    s.runUntil(x -> evaluations(x) >= 2, Duration.ofMinutes(5));
    int mark = s.mark();

    s.edit(spec -> spec.getChecks().get(0).getSequential().setFalseRollbackRate(0.005));
    int before = evaluations(s);
    s.runUntil(x -> evaluations(x) > before, Duration.ofMinutes(1));

    assertThat(s.eventsSince(mark)).filteredOn(n -> n.reason().equals("ParametersChanged")).singleElement()
        .satisfies(n -> assertThat(n.message()).contains("check " + ERROR_RATE)
            .contains("falseRollbackRate changed from 0.01 to 0.005").contains("restart 1"));
    SequentialEvidence status = s.checkStatus(ERROR_RATE).getSequential();
    assertThat(status.getLastRestart()).isEqualTo("falseRollbackRate changed from 0.01 to 0.005");
    assertThat(status.getRestarts()).isEqualTo(1);
    assertThat(SequentialState.decode(status.getEncoded()).falseRollbackRate()).isEqualTo(0.005);
    assertThat(SequentialState.decode(status.getEncoded()).canaryCounted()).isEqualTo(Counts.of(0, 0));

    int later = s.mark();
    int again = evaluations(s);
    s.runUntil(x -> evaluations(x) > again, Duration.ofMinutes(1));
    assertThat(s.reasonsSince(later)).doesNotContain("ParametersChanged");
    assertThat(s.checkStatus(ERROR_RATE).getSequential().getLastRestart())
        .as("the reason stays in status after later evaluations").isEqualTo("falseRollbackRate changed from 0.01 to 0.005");
  }

  @Test
  @DisplayName("given a sequential check without its own falseRollbackRate, when a Release-level budget of 0.02 and a maxRelativeIncrease of 0.5 are set mid-stage, then one ParametersChanged Event names both changes")
  void releaseBudgetAndDeltaChangesAreAnnounced() {
    ReleaseScenario s = sequential(ReleaseScenario.standard());
    liveEvidence(s);
    s.deployFirstRevision();
    s.changeTemplate("registry.example/shop:v2");
    s.runUntil(x -> evaluations(x) >= 2, Duration.ofMinutes(5));
    int mark = s.mark();

    s.edit(spec -> {
      ReleaseAnalysis analysis = new ReleaseAnalysis();
      analysis.setFalseRollbackRate(0.02);
      spec.setAnalysis(analysis);
      spec.getChecks().get(0).getSequential().setMaxRelativeIncrease(0.5);
    });
    int before = evaluations(s);
    s.runUntil(x -> evaluations(x) > before, Duration.ofMinutes(1));

    assertThat(s.eventsSince(mark)).filteredOn(n -> n.reason().equals("ParametersChanged")).singleElement()
        .satisfies(n -> assertThat(n.message()).contains("maxRelativeIncrease changed from 0.2 to 0.5")
            .contains("falseRollbackRate changed from 0.01 to 0.02"));
  }

  private static int evaluations(ReleaseScenario s) {
    var cs = s.checkStatus(ERROR_RATE);
    return cs == null || cs.getEvaluations() == null ? 0 : cs.getEvaluations();
  }

  /**
   * The check judged as the operator judges it: the real sequential test, with the parameters the spec (and its share
   * of a Release-level budget) says now, on cumulative counts of a canary as good as stable.
   */
  private static void liveEvidence(ReleaseScenario s) {
    s.script(ERROR_RATE, ctx -> {
      Check check = s.release().getSpec().getChecks().get(0);
      SequentialCheck seq = SequentialBudget.effective(s.release().getSpec(), check);
      SequentialConfig config = new SequentialConfig(
          seq.getMaxRelativeIncrease() == null ? 0.2 : seq.getMaxRelativeIncrease(),
          seq.getFalseRollbackRate() == null ? 0.01 : seq.getFalseRollbackRate());
      SequentialEvidence previous = s.checkStatus(ERROR_RATE) == null ? null
          : s.checkStatus(ERROR_RATE).getSequential();
      SequentialState state = previous == null ? null : SequentialState.decode(previous.getEncoded());
      int n = ctx.attempt();
      SequentialResult result = new SequentialErrorCheck(config)
          .update(state, Counts.of(1_000.0 * n, 10.0 * n), Counts.of(9_000.0 * n, 90.0 * n));
      return new CheckOutcome(CheckResult.Pass, 0.01, null, result.summary(), false, carried(result));
    });
  }

  /** Baseline at zero, then one interval with these increments. */
  private static SequentialResult evidence(Counts canary, Counts stable) {
    SequentialResult first = CHECK.update(null, Counts.of(0, 0), Counts.of(0, 0));
    return CHECK.update(first.state(), canary, stable);
  }

  private static SequentialEvidence carried(SequentialResult result) {
    SequentialEvidence e = new SequentialEvidence();
    e.setEncoded(result.state().encode());
    e.setDecision(result.decision().name());
    e.setRestarts(result.state().restarts());
    return e;
  }

  /** The standard scenario with its check turned into a sequential one of the same name. */
  private static ReleaseScenario sequential(ReleaseScenario s) {
    return s.edit(spec -> {
      SequentialCheck seq = new SequentialCheck();
      seq.setErrors("sum(http_requests_total{code=\"500\"})");
      seq.setRequests("sum(http_requests_total)");
      Check check = new Check();
      check.setName(ERROR_RATE);
      check.setSequential(seq);
      spec.getChecks().set(0, check);
    });
  }
}
