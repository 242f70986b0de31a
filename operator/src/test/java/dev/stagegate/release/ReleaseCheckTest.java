package dev.stagegate.release;

import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.release.plan.ReleasePlanner;
import static dev.stagegate.api.common.CheckResult.Fail;
import static dev.stagegate.api.common.CheckResult.NoData;
import static dev.stagegate.api.common.CheckResult.Pass;
import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReleaseCheckTest {

  private static final String V2 = "registry.example/web:2.0";

  /** A canary in its first stage with its pods ready, checks not yet evaluated. */
  private static ReleaseScenario canaryReady(ReleaseScenario s) {
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.turn();
    s.turnAfter(STEP);
    assertThat(s.status().getCurrentStage().getReadyAt()).isNotNull();
    return s;
  }

  @Test
  @DisplayName("given a canary in a stage, when turns come every 5 s, then each check is evaluated once per 30 s interval and counted once")
  void checksRespectTheirInterval() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());

    s.runFor(Duration.ofSeconds(100));

    List<Instant> times = s.evaluations().stream().map(e -> e.context().at()).toList();
    assertThat(times).hasSize(4);
    for (int i = 1; i < times.size(); i++) {
      assertThat(Duration.between(times.get(i - 1), times.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }
    assertThat(s.checkStatus(ERROR_RATE).getEvaluations()).isEqualTo(4);
    assertThat(s.checkStatus(ERROR_RATE).getLastEvaluationTime()).isEqualTo(Timestamps.precise(times.get(3)));
  }

  @Test
  @DisplayName("given a check that passed in the previous stage, when the next stage starts, then its evidence starts again from nothing")
  void evidenceIsPerStage() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));

    CheckStatus fresh = s.checkStatus(ERROR_RATE);
    assertThat(fresh.getEvaluations()).isZero();
    assertThat(fresh.passed()).isFalse();
    assertThat(fresh.getLastResult()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CheckResult.class, names = {"NoData", "Error"})
  @DisplayName("given a check that only ever returns NoData or Error, when the stage duration passes, then the stage neither completes nor rolls back")
  void inconclusiveNeverAdvancesNorFails(CheckResult result) {
    ReleaseScenario s = ReleaseScenario.standard();
    s.script(ERROR_RATE, ReleaseScenario.inOrder(result));
    canaryReady(s);
    int mark = s.mark();

    s.runFor(Duration.ofMinutes(9));

    assertThat(s.reasonsSince(mark)).doesNotContain("StageCompleted", "RolledBack", "CheckFailed");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");
    assertThat(s.checkStatus(ERROR_RATE).failures()).isZero();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CheckResult.class, names = {"NoData", "Error"})
  @DisplayName("given a check without a conclusive result, when the progress deadline passes, then the Release pauses Stalled (NoEvidence) with a message naming the check and the reason, on every turn, and resumes by itself on a Pass")
  void noEvidenceStallsAndResumes(CheckResult result) {
    ReleaseScenario s = ReleaseScenario.standard();
    boolean[] conclusive = {false};
    s.script(ERROR_RATE, ctx -> ReleaseScenario.outcome(conclusive[0] ? Pass : result));
    canaryReady(s);
    Instant readyAt = Timestamps.parse(s.status().getCurrentStage().getReadyAt());
    String canary = s.status().getCanaryRevision();

    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(11));

    assertThat(s.now()).isAfterOrEqualTo(readyAt.plus(Duration.ofMinutes(10)));
    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.NoEvidence.name());
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    Note warning = s.events().stream().filter(n -> n.reason().equals("NoEvidence")).findFirst().orElseThrow();
    assertThat(warning.type()).isEqualTo(Note.Type.Warning);
    assertThat(warning.message()).contains(ERROR_RATE, result.name());
    assertStalledNaming(s, result);
    assertThat(s.replicas(canary)).as("no rollback: the canary keeps its pods").isEqualTo(1);

    s.runFor(Duration.ofMinutes(2));
    assertStalledNaming(s, result);
    assertThat(s.status().getMessage()).contains(ERROR_RATE, result.name());
    assertThat(s.reasons().stream().filter("NoEvidence"::equals)).as("one Warning, not one per turn").hasSize(1);

    conclusive[0] = true;
    int mark = s.mark();
    s.runUntil(x -> x.status().getPauseReason() == null, Duration.ofMinutes(1));
    assertThat(s.reasonsSince(mark)).contains("Resumed");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("False");
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
  }

  @Test
  @DisplayName("given no progressDeadline in the spec, when a check stalls, then the message states the default deadline (10m), not 'null'")
  void stallMessageWithDefaultDeadline() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.setProgressDeadline(null));
    s.script(ERROR_RATE, ReleaseScenario.noData());
    canaryReady(s);

    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(11));

    assertThat(s.condition(Conditions.STALLED).getMessage()).contains("10m").doesNotContain("null");
  }

  @Test
  @DisplayName("given failureLimit 2, when results are Fail, NoData, Error, Fail, then NoData and Error neither count nor reset and the second Fail rolls back")
  void onlyFailCountsTowardTheLimit() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getChecks().get(0).setFailureLimit(2));
    s.script(ERROR_RATE, ReleaseScenario.inOrder(Fail, NoData, CheckResult.Error, Fail));
    canaryReady(s);

    s.runUntil(x -> x.evaluations().size() == 3, Duration.ofMinutes(2));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.checkStatus(ERROR_RATE).failures()).isEqualTo(1);

    s.runUntil(x -> x.evaluations().size() == 4, Duration.ofMinutes(1));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
  }

  @Test
  @DisplayName("given failureLimit 2, when a Fail is followed by a Pass, then the count resets and the stage may still complete, but not while the last result is a Fail")
  void aPassResetsTheFailureCount() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getChecks().get(0).setFailureLimit(2));
    s.script(ERROR_RATE, ctx -> ReleaseScenario.outcome(ctx.attempt() % 2 == 1 ? Fail : Pass));
    canaryReady(s);
    int mark = s.mark();

    s.runUntil(x -> x.reasonsSince(mark).contains("StageCompleted"), Duration.ofMinutes(5));

    assertThat(s.reasonsSince(mark)).doesNotContain("RolledBack");
    var completedAfter = s.evaluations().get(s.evaluations().size() - 1);
    assertThat(completedAfter.outcome().result()).as("the stage completed right after a Pass").isEqualTo(Pass);
  }

  @Test
  @DisplayName("given failureLimit 3, when the check fails three times in a row, then the Release rolls back on the third and not before")
  void failureLimitThree() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getChecks().get(0).setFailureLimit(3));
    s.script(ERROR_RATE, ReleaseScenario.failing());
    canaryReady(s);

    s.runUntil(x -> x.evaluations().size() == 2, Duration.ofMinutes(2));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.reasons().stream().filter("CheckFailed"::equals)).hasSize(2);

    s.runUntil(x -> x.evaluations().size() == 3, Duration.ofMinutes(1));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
  }

  @Test
  @DisplayName("given a canary rolled back by a check, then status keeps each check as it stood (value, failures, message) for triage, and the next canary starts them afresh")
  void rollbackKeepsTheEvidence() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getChecks().get(0).setFailureLimit(2));
    s.script(ERROR_RATE, ReleaseScenario.failing());
    canaryReady(s);
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(2));
    s.runFor(Duration.ofMinutes(1));

    CheckStatus evidence = s.checkStatus(ERROR_RATE);
    assertThat(evidence.getLastResult()).isEqualTo(CheckResult.Fail);
    assertThat(evidence.getLastValue()).isEqualTo("0.4");
    assertThat(evidence.getConsecutiveFailures()).isEqualTo(2);
    assertThat(evidence.getMessage()).isEqualTo("0.4 > 0.05");
    assertThat(s.evaluations()).as("no evaluations after the rollback").hasSize(2);

    s.script(ERROR_RATE, ReleaseScenario.passing());
    s.changeTemplate("registry.example/web:3.0");
    s.turn();
    assertThat(s.checkStatus(ERROR_RATE).getEvaluations()).isZero();
    assertThat(s.checkStatus(ERROR_RATE).getLastValue()).isNull();
  }

  @Test
  @DisplayName("given two checks, when one passes and the other keeps returning NoData, then the stage waits for both")
  void everyCheckMustPass() {
    ReleaseScenario s = ReleaseScenario.standard()
        .edit(spec -> spec.getChecks().add(ReleaseScenario.check("latency-p99", 0.3)));
    s.script("latency-p99", ReleaseScenario.noData());
    canaryReady(s);
    int mark = s.mark();

    s.runFor(Duration.ofMinutes(5));
    assertThat(s.reasonsSince(mark)).doesNotContain("StageCompleted");
    assertThat(s.checkStatus(ERROR_RATE).passed()).isTrue();

    s.script("latency-p99", ReleaseScenario.passing());
    s.runUntil(x -> x.reasonsSince(mark).contains("StageCompleted"), Duration.ofMinutes(1));
  }

  @Test
  @DisplayName("given a check that passed once and now returns NoData, when the duration has passed, then the stage waits for a fresh Pass")
  void lastResultMustBeAPass() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.script(ERROR_RATE, ReleaseScenario.inOrder(Pass, NoData));
    canaryReady(s);
    int mark = s.mark();

    s.runFor(Duration.ofMinutes(4));
    assertThat(s.reasonsSince(mark)).doesNotContain("StageCompleted");

    s.script(ERROR_RATE, ReleaseScenario.passing());
    s.runUntil(x -> x.reasonsSince(mark).contains("StageCompleted"), Duration.ofMinutes(1));
  }

  @Test
  @DisplayName("given a canary whose failing check is due, when a newer template arrives in the same turn, then that evaluation of the old canary is not held against the new one")
  void staleOutcomesDoNotReachTheNewCanary() {
    ReleaseScenario s = ReleaseScenario.standard();
    canaryReady(s);
    String old = s.status().getCanaryRevision();
    s.script(ERROR_RATE, ctx -> ReleaseScenario.outcome(ctx.revision().equals(old) ? Fail : Pass));

    String newest = s.changeTemplate("registry.example/web:3.0");
    s.turnAfter(STEP);

    assertThat(s.evaluations()).as("the due check was evaluated against the old canary").hasSize(1);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.status().getCanaryRevision()).isEqualTo(newest);
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(s.checkStatus(ERROR_RATE).getEvaluations()).isZero();
    assertThat(s.checkStatus(ERROR_RATE).failures()).isZero();
  }

  @Test
  @DisplayName("given a canary whose passing check is due, when a newer template arrives in the same turn, then the new canary gets no credit for it")
  void stalePassesAreNotCredited() {
    ReleaseScenario s = ReleaseScenario.standard();
    canaryReady(s);

    s.changeTemplate("registry.example/web:3.0");
    s.turnAfter(STEP);

    assertThat(s.checkStatus(ERROR_RATE).passed()).isFalse();
    assertThat(s.checkStatus(ERROR_RATE).getLastEvaluationTime()).isNull();
  }

  private static void assertStalledNaming(ReleaseScenario s, CheckResult result) {
    Condition stalled = s.condition(Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo(ReleaseReasons.Pause.NoEvidence.name());
    assertThat(stalled.getMessage()).contains(ERROR_RATE, result.name());
  }
}
