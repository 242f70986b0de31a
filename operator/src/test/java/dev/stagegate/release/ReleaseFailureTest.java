package dev.stagegate.release;

import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.release.plan.WorkloadChange;
import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReleaseFailureTest {

  private static final String V2 = "registry.example/web:2.0";

  /** A canary that fails its check from the 50% stage on. */
  private static ReleaseScenario failingAtFifty() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.script(ERROR_RATE, ctx -> ctx.stage().equals("canary-50")
        ? ReleaseScenario.failing().evaluate(ctx) : ReleaseScenario.passing().evaluate(ctx));
    return s;
  }

  @Test
  @DisplayName("given a canary at 50%, when its check fails at the failure limit, then in that same reconcile the canary goes to zero, the stable to full size, phase RolledBack with failedRevision and Warning Events")
  void checkFailureRollsBackWithinOneReconcile() {
    ReleaseScenario s = failingAtFifty();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    int mark = s.mark();

    s.runUntil(x -> !x.evaluations().isEmpty() && x.evaluations().get(x.evaluations().size() - 1).outcome().result()
        == CheckResult.Fail, Duration.ofMinutes(10));

    ReleasePlan failing = s.lastPlan();
    assertThat(failing.changes()).contains(new WorkloadChange.Scale(canary, 0), new WorkloadChange.Scale(stable, 10));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.status().getStableRevision()).isEqualTo(stable);
    assertThat(s.status().getMessage()).contains(ERROR_RATE);
    assertThat(failing.notes()).extracting(Note::reason).containsExactly("CheckFailed", "RolledBack");
    assertThat(failing.notes()).allSatisfy(n -> assertThat(n.type()).isEqualTo(Note.Type.Warning));
    assertThat(s.reasonsSince(mark)).doesNotContain("Promoted");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getReason()).isEqualTo("RolledBack");
    assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo("False");
  }

  @Test
  @DisplayName("given a rolled-back revision still in the template, when time passes, then it is not retried by itself and stays at zero pods")
  void failedRevisionIsNotRetriedByItself() {
    ReleaseScenario s = failingAtFifty();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(10));
    int mark = s.mark();
    int evaluations = s.evaluations().size();

    s.runFor(Duration.ofMinutes(30));

    assertThat(s.reasonsSince(mark)).isEmpty();
    assertThat(s.evaluations()).hasSize(evaluations);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(s.replicas(canary)).as("kept at zero for inspection").isZero();
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.lastPlan().requeueAfter()).isEqualTo(ReleasePlanner.IDLE_REQUEUE);
  }

  @Test
  @DisplayName("given a rolled-back revision, when the spec is made invalid and then fixed without touching the template, then the Release is RolledBack again, not Ready on a template it does not run")
  void rolledBackSurvivesAnInvalidSpec() {
    ReleaseScenario s = failingAtFifty();
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(10));

    s.edit(spec -> spec.setProgressDeadline("10 minutes"));
    s.turnAfter(STEP);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Failed);
    s.edit(spec -> spec.setProgressDeadline("10m"));
    s.turnAfter(STEP);

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(s.status().getMessage()).contains(canary);
    assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
  }

  @Test
  @DisplayName("given a rolled-back revision, when the `retry` action is given, then the same template starts a new canary from stage 0 and can be promoted")
  void retryAction() {
    ReleaseScenario s = failingAtFifty();
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(10));
    s.script(ERROR_RATE, ReleaseScenario.passing());
    int mark = s.mark();

    s.annotate("retry");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.actionConsumed()).isTrue();
    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "StageStarted");
    assertThat(s.status().getCanaryRevision()).isEqualTo(canary);
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(s.status().getCurrentStage().getIndex()).isZero();
    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 1));

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
  }

  @Test
  @DisplayName("given a rolled-back revision, when a new template is applied, then a new canary starts and the failed revision's Deployment is removed")
  void newTemplateAfterRollback() {
    ReleaseScenario s = failingAtFifty();
    String stable = s.deployFirstRevision();
    String failed = s.changeTemplate(V2);
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(10));
    s.script(ERROR_RATE, ReleaseScenario.passing());

    String fixed = s.changeTemplate("registry.example/web:2.1");
    s.turnAfter(STEP);

    assertThat(s.status().getCanaryRevision()).isEqualTo(fixed);
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.exists(failed)).isFalse();
    assertThat(s.replicas(stable)).isEqualTo(10);
  }

  @Test
  @DisplayName("given canary pods that never become ready, when the progress deadline passes, then the Release rolls back (not before) with a Warning naming the deadline")
  void progressDeadlineRollsBack() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.holdReady(canary, 0);
    s.turn();
    var started = s.now();

    s.runFor(Duration.ofMinutes(9).plusSeconds(55));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.replicas(canary)).isEqualTo(1);

    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofSeconds(10));
    assertThat(s.now()).isEqualTo(started.plus(Duration.ofMinutes(10)));
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(s.replicas(canary)).isZero();
    assertThat(s.replicas(stable)).isEqualTo(10);
    Note rolledBack = s.events().stream().filter(n -> n.reason().equals("RolledBack")).findFirst().orElseThrow();
    assertThat(rolledBack.type()).isEqualTo(Note.Type.Warning);
    assertThat(rolledBack.message()).contains("ProgressDeadlineExceeded", "0/1", "10m");
  }

  @Test
  @DisplayName("given some but not all canary pods ready, when the progress deadline passes, then that is a failure too")
  void partiallyReadyCanaryFailsAtDeadline() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.turn();
    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    s.holdReady(canary, 7);

    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(11));
    assertThat(s.events().stream().filter(n -> n.reason().equals("RolledBack")).findFirst().orElseThrow().message())
        .contains("7/10");
  }

  @Test
  @DisplayName("given the last stage with the stable revision at zero, when the canary fails, then the stable revision is scaled back to full size in the same reconcile")
  void rollbackFromTheLastStage() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.script(ERROR_RATE, ctx -> ctx.stage().equals("full")
        ? ReleaseScenario.failing().evaluate(ctx) : ReleaseScenario.passing().evaluate(ctx));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(15));

    assertThat(s.lastPlan().changes()).contains(new WorkloadChange.Scale(stable, 10), new WorkloadChange.Scale(canary, 0));
  }

  @Test
  @DisplayName("given onFailure: Pause, when a check fails, then the Release pauses (CheckFailed, Stalled) keeping the canary's pods, and does not roll back by itself")
  void pauseOnFailure() {
    ReleaseScenario s = failingAtFifty().edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(10));

    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.CheckFailed.name());
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getMessage()).contains(ERROR_RATE);
    Note paused = s.events().stream().filter(n -> n.reason().equals("CheckFailed") && n.message().contains("paused"))
        .findFirst().orElseThrow();
    assertThat(paused.type()).isEqualTo(Note.Type.Warning);

    s.runFor(Duration.ofMinutes(15));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(s.replicas(canary)).isEqualTo(10);
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.reasons()).doesNotContain("RolledBack");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getMessage()).as("still says why, turns later").contains(ERROR_RATE);
  }

  @Test
  @DisplayName("given onFailure: Pause, when canary pods are not ready by the progress deadline, then the Release pauses (CheckFailed, Stalled, message naming the deadline) instead of rolling back")
  void pauseOnProgressDeadline() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.holdReady(canary, 0);

    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(11));

    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.CheckFailed.name());
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.reasons()).contains("ProgressDeadlineExceeded").doesNotContain("RolledBack");
    s.runFor(Duration.ofMinutes(1));
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getMessage()).contains("progress deadline 10m");
  }

  @Test
  @DisplayName("given a Release paused after a failed check, when later evaluations pass, then it stays paused until a person acts, and its message still says it was stopped by a failure")
  void pausedFailureDoesNotResumeByItself() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    s.script(ERROR_RATE, ReleaseScenario.inOrder(CheckResult.Fail, CheckResult.Pass));
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(2));
    assertThat(s.status().getMessage()).contains(ERROR_RATE);

    s.runFor(Duration.ofMinutes(5));

    assertThat(s.checkStatus(ERROR_RATE).failures()).as("later evaluations passed").isZero();
    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.CheckFailed.name());
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getMessage()).contains("failure", "resume");
  }

  @Test
  @DisplayName("given a Release paused after a failed check, when `resume` is given and checks now pass, then it continues to promotion")
  void resumeAfterPausedFailure() {
    ReleaseScenario s = failingAtFifty().edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(10));
    s.script(ERROR_RATE, ReleaseScenario.passing());

    s.annotate("resume");
    s.turnAfter(STEP);

    assertThat(s.status().getPauseReason()).isNull();
    assertThat(s.checkStatus(ERROR_RATE).failures()).isZero();
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
  }

  @Test
  @DisplayName("given a Release paused after a failed check, when `retry` is given, then the canary restarts from stage 0")
  void retryAfterPausedFailure() {
    ReleaseScenario s = failingAtFifty().edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(10));
    int mark = s.mark();

    s.annotate("retry");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "Retrying", "StageStarted");
    assertThat(s.status().getCurrentStage().getIndex()).isZero();
    assertThat(s.status().getPauseReason()).isNull();
    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 1));
  }

  @Test
  @DisplayName("given a Release paused after a failed check, when `abort` is given, then it rolls back at once")
  void abortAfterPausedFailure() {
    ReleaseScenario s = failingAtFifty().edit(spec -> spec.setOnFailure(FailurePolicy.Pause));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.status().getPauseReason() != null, Duration.ofMinutes(10));

    s.annotate("abort");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 0), new WorkloadChange.Scale(stable, 10));
  }
}
