package dev.stagegate.release;

import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.release.plan.WorkloadChange;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.Approval;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseActionTest {

  private static final String V2 = "registry.example/web:2.0";

  /** A canary in its first stage with its pods ready. */
  private static ReleaseScenario canaryReady(ReleaseScenario s) {
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.turn();
    s.turnAfter(STEP);
    return s;
  }

  @Test
  @DisplayName("given a canary early in its first stage, when `promote` is given, then the current stage completes at once, the action is consumed with an Event, and the next stage is not skipped too")
  void promoteCompletesTheCurrentStage() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    int mark = s.mark();

    s.annotate("promote");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.actionConsumed()).isTrue();
    assertThat(s.pendingAnnotation()).isNull();
    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "StageCompleted", "StageStarted");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(s.status().getLastAction()).isEqualTo("promote at " + Timestamps.format(s.now()));

    s.runFor(Duration.ofMinutes(1));
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
  }

  @Test
  @DisplayName("given a canary in its first stage, when `promote-full` is given, then it is promoted: new revision to full size, Promoted Event")
  void promoteFull() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    String canary = s.status().getCanaryRevision();
    int mark = s.mark();

    s.annotate("promote-full");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "StageCompleted", "Promoted");
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 10));
    s.turnAfter(STEP);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Promoted);
  }

  @Test
  @DisplayName("given a canary, when `pause` is given, then no stage completes while checks keep running, and `resume` lets it continue")
  void pauseAndResume() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    int mark = s.mark();

    s.annotate("pause");
    s.turnAfter(STEP);
    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "Paused");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.Manual.name());
    int evaluations = s.evaluations().size();

    s.runFor(Duration.ofMinutes(10));
    assertThat(s.reasonsSince(mark)).doesNotContain("StageCompleted");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");
    assertThat(s.evaluations().size()).as("checks keep running").isGreaterThan(evaluations + 10);
    assertThat(s.condition(Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("False");

    int resumed = s.mark();
    s.annotate("resume");
    s.turnAfter(STEP);
    assertThat(s.reasonsSince(resumed)).startsWith("ActionApplied", "Resumed");
    s.runUntil(x -> x.reasonsSince(resumed).contains("StageCompleted"), Duration.ofSeconds(35));
  }

  @Test
  @DisplayName("given a canary at 50%, when `abort` is given, then it rolls back in that reconcile with a Warning")
  void abortRollsBack() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    int mark = s.mark();

    s.annotate("abort");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "RolledBack");
    assertThat(s.eventsSince(mark).get(1).type()).isEqualTo(Note.Type.Warning);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 0), new WorkloadChange.Scale(stable, 10));
  }

  @Test
  @DisplayName("given any annotation value that is not an action, when reconciled, then it is removed with an UnknownAction Warning and nothing else changes")
  void unknownAction() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    String stage = s.status().getCurrentStage().getName();
    int mark = s.mark();

    s.annotate("promtoe");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.actionConsumed()).isTrue();
    assertThat(s.eventsSince(mark)).singleElement().satisfies(n -> {
      assertThat(n.reason()).isEqualTo("UnknownAction");
      assertThat(n.type()).isEqualTo(Note.Type.Warning);
      assertThat(n.message()).contains("promtoe");
    });
    assertThat(s.status().getCurrentStage().getName()).isEqualTo(stage);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"abort", "promote", "promote-full", "pause", "retry"})
  @DisplayName("given a Release with no canary, when a canary action is given, then it is consumed with an ActionIgnored Event and nothing changes")
  void actionWithoutCanaryIsIgnored(String action) {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    int mark = s.mark();

    s.annotate(action);
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.actionConsumed()).isTrue();
    assertThat(s.reasonsSince(mark)).containsExactly("ActionIgnored");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Promoted);
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(plan.changes()).containsExactly(new WorkloadChange.Scale(stable, 10));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"promote", "promote-full", "pause", "abort", " Promote "})
  @DisplayName("given a canary, when an action is given, then it is applied exactly once: one ActionApplied Event, the annotation removed, lastAction recorded")
  void actionsApplyOnce(String action) {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    int mark = s.mark();

    s.annotate(action);
    s.turnAfter(STEP);
    s.runFor(Duration.ofMinutes(1));

    assertThat(s.reasonsSince(mark).stream().filter("ActionApplied"::equals)).hasSize(1);
    assertThat(s.pendingAnnotation()).isNull();
    assertThat(s.status().getLastAction()).startsWith(action.trim().toLowerCase());
  }

  @Test
  @DisplayName("given `promote` applied, when removing its annotation fails twice, then it is never applied again: one stage completes, and once the annotation is gone the same action works anew")
  void anActionWhoseRemovalFailsIsNotReplayed() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    int mark = s.mark();

    s.failAnnotationRemovals(2);
    s.annotate("promote");
    s.turnAfter(STEP);
    s.turnAfter(STEP);
    s.turnAfter(STEP);

    assertThat(s.pendingAnnotation()).as("removed on the third try").isNull();
    assertThat(s.reasonsSince(mark).stream().filter("ActionApplied"::equals)).hasSize(1);
    assertThat(s.status().getCurrentStage().getName()).as("one stage promoted, not three").isEqualTo("canary-50");
    s.turnAfter(STEP);
    assertThat(s.status().getActionAwaitingRemoval()).isNull();

    s.annotate("promote");
    s.turnAfter(STEP);
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("full");
    assertThat(s.reasonsSince(mark).stream().filter("ActionApplied"::equals)).hasSize(2);
  }

  @Test
  @DisplayName("given a canary, when spec.paused is set, then the Release pauses declaratively (reason Spec) and continues when it is cleared")
  void specPaused() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    int mark = s.mark();

    s.edit(spec -> spec.setPaused(true));
    s.turnAfter(STEP);
    assertThat(s.reasonsSince(mark)).containsExactly("Paused");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.Spec.name());
    assertThat(s.condition(Conditions.RECONCILING).getReason()).isEqualTo(ReleaseReasons.Pause.Spec.name());

    s.runFor(Duration.ofMinutes(10));
    assertThat(s.reasonsSince(mark)).containsExactly("Paused");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");

    int resumed = s.mark();
    s.edit(spec -> spec.setPaused(false));
    s.turnAfter(STEP);
    assertThat(s.reasonsSince(resumed)).startsWith("Resumed");
    assertThat(s.status().getPauseReason()).isNull();
    s.runUntil(x -> x.reasonsSince(resumed).contains("StageCompleted"), Duration.ofSeconds(35));
  }

  @Test
  @DisplayName("given spec.paused (a freeze), when a new template arrives, then it gets no pods, no checks run and no deadline passes; clearing spec.paused starts its canary")
  void specPausedHoldsANewRevisionUnstarted() {
    ReleaseScenario s = ReleaseScenario.standard();
    String v1 = s.deployFirstRevision();
    s.edit(spec -> spec.setPaused(true));
    s.turnAfter(STEP);
    int mark = s.mark();

    String v2 = s.changeTemplate(V2);
    s.runFor(Duration.ofMinutes(30));

    assertThat(s.reasonsSince(mark)).containsExactly("Paused");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.status().getPauseReason()).isEqualTo(ReleaseReasons.Pause.Spec.name());
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.status().getMessage()).contains(v2 + " waits", v1 + " serves with 10/10");
    assertThat(s.exists(v2)).as("no Deployment for the waiting revision").isFalse();
    assertThat(s.evaluationsOf(v2)).isZero();
    assertThat(s.condition(Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("False");

    int resumed = s.mark();
    s.edit(spec -> spec.setPaused(false));
    s.turnAfter(STEP);
    assertThat(s.reasonsSince(resumed)).containsExactly("Resumed", "StageStarted");
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    assertThat(s.status().getStableRevision()).isEqualTo(v2);
  }

  @Test
  @DisplayName("given a canary, when spec.paused is set and a newer template arrives, then the old canary is removed and the newer one waits unstarted; reverting the template ends the wait")
  void specPausedNewerTemplateWhileACanaryRuns() {
    ReleaseScenario s = canaryReady(ReleaseScenario.standard());
    String v2 = s.status().getCanaryRevision();
    s.edit(spec -> spec.setPaused(true));
    s.turnAfter(STEP);
    int mark = s.mark();

    String v3 = s.changeTemplate("registry.example/web:3.0");
    s.runFor(Duration.ofMinutes(5));

    assertThat(s.reasonsSince(mark)).containsExactly("CanaryAbandoned", "Paused");
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.replicas(v2)).as("the abandoned canary's pods are gone").isIn(null, 0);
    assertThat(s.exists(v3)).isFalse();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);

    s.changeTemplate("registry.example/web:1.0");
    s.turnAfter(STEP);
    assertThat(s.status().getPauseReason()).isNull();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Promoted);
  }

  @Test
  @DisplayName("given a Manual stage, when its evidence is complete, then it waits (Paused, AwaitingApproval, one Event) until `promote`")
  void manualApproval() {
    ReleaseScenario s = ReleaseScenario.standard()
        .edit(spec -> spec.getStages().get(1).setApproval(Approval.Manual));
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.runUntil(x -> ReleaseReasons.Pause.AwaitingApproval.name().equals(x.status().getPauseReason()), Duration.ofMinutes(10));
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);

    s.runFor(Duration.ofMinutes(10));
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(s.reasons().stream().filter("AwaitingApproval"::equals)).hasSize(1);
    assertThat(s.condition(Conditions.STALLED).getStatus()).as("waiting for a person is not a stall").isEqualTo("False");

    int mark = s.mark();
    s.annotate("promote");
    s.turnAfter(STEP);
    assertThat(s.reasonsSince(mark)).containsExactly("ActionApplied", "StageCompleted", "StageStarted");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("full");
    assertThat(s.status().getPauseReason()).isNull();
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(5));
  }
}
