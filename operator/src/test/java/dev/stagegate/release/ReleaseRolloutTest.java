package dev.stagegate.release;

import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.WorkloadChange;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.Stage;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReleaseRolloutTest {

  private static final String V2 = "registry.example/web:2.0";

  @Test
  @DisplayName("given a new Release, when it is first reconciled, then its revision is deployed directly at full size and becomes stable without a canary")
  void firstRevisionDeploysDirectly() {
    ReleaseScenario s = ReleaseScenario.standard();

    ReleasePlan first = s.turn();

    String rev = s.revision();
    assertThat(first.changes()).containsExactly(new WorkloadChange.Scale(rev, 10));
    assertThat(s.status().getStableRevision()).isEqualTo(rev);
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.status().getCurrentStage()).isNull();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.reasons()).containsExactly("StableDeployed");

    s.turnAfter(STEP);

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Promoted);
    assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(s.reasons()).as("no stage ran").doesNotContain("StageStarted");
    assertThat(s.evaluations()).as("no check ran").isEmpty();
  }

  @Test
  @DisplayName("given a stable revision, when the template changes, then a canary starts at stage 0 beside the stable revision kept at full size")
  void changedTemplateStartsCanary() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    ReleasePlan plan = s.turn();

    assertThat(s.status().getCanaryRevision()).isEqualTo(canary);
    assertThat(s.status().getStableRevision()).isEqualTo(stable);
    assertThat(s.status().getCurrentStage().getIndex()).isZero();
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 1), new WorkloadChange.Scale(stable, 10));
    assertThat(plan.notes()).extracting(Note::reason).containsExactly("StageStarted");
  }

  @Test
  @DisplayName("given healthy checks, when a canary runs to the end, then the Events are StageStarted/StageCompleted per stage and Promoted, in order")
  void fullRolloutEventSequence() {
    ReleaseScenario s = ReleaseScenario.standard();
    String old = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    int mark = s.mark();

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));

    assertThat(s.reasonsSince(mark)).containsExactly(
        "StageStarted", "StageCompleted",
        "StageStarted", "StageCompleted",
        "StageStarted", "StageCompleted",
        "Promoted");
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.status().getCurrentStage()).isNull();
    assertThat(s.status().getFailedRevision()).isNull();
    assertThat(s.replicas(canary)).isEqualTo(10);
    assertThat(s.replicas(old) == null || s.replicas(old) == 0).as("old revision scaled down or gone").isTrue();
    assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo("True");

    s.turnAfter(STEP);
    assertThat(s.exists(old)).as("the old revision is removed once the new one serves at full size").isFalse();
  }

  @Test
  @DisplayName("given a canary whose pods are slow to start, when the stage's duration has passed since the stage started but not since the pods were ready, then the stage does not complete")
  void durationCountsFromReadyAt() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.holdReady(canary, 0);
    s.turn();
    s.runFor(Duration.ofMinutes(3));
    assertThat(s.status().getCurrentStage().getReadyAt()).isNull();

    s.releaseReady(canary);
    s.turnAfter(STEP);
    Instant readyAt = Timestamps.parse(s.status().getCurrentStage().getReadyAt());
    assertThat(readyAt).isEqualTo(s.now());
    int mark = s.mark();

    s.runUntil(x -> !x.now().plus(STEP).isBefore(readyAt.plus(Duration.ofMinutes(2))), Duration.ofMinutes(3));
    assertThat(s.reasonsSince(mark)).doesNotContain("StageCompleted");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");

    s.runUntil(x -> x.reasonsSince(mark).contains("StageCompleted"), Duration.ofMinutes(1));
    assertThat(s.now()).isAfterOrEqualTo(readyAt.plus(Duration.ofMinutes(2)));
  }

  @Test
  @DisplayName("given a stage without duration and without checks, when the canary's pods are ready, then the stage completes in that same turn")
  void stageWithoutDurationOrChecks() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.setChecks(new ArrayList<>()));
    s.deployFirstRevision();
    s.edit(spec -> spec.setStages(new ArrayList<>(List.of(new Stage("quick", 20, null, null), new Stage("full", 100, null, null)))));
    s.changeTemplate(V2);
    s.turn();
    int mark = s.mark();

    s.turnAfter(STEP);

    assertThat(s.reasonsSince(mark)).containsExactly("StageCompleted", "StageStarted");
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("full");
  }

  @Test
  @DisplayName("given a 90% stage and maxSurge 50%, when the canary enters it, then 15 pods in all are split 14/1, the stable shrinks only once canary pods are ready (never fewer ready pods), and a rollback restores it")
  void highWeightIsCappedByMaxSurge() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> {
      spec.setMaxSurge(new IntOrString("50%"));
      spec.getStages().set(1, new Stage("canary-90", 90, "2m", null));
    });
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-90"), Duration.ofMinutes(10));

    assertThat(s.replicas(canary)).isEqualTo(14);
    assertThat(s.replicas(stable)).as("canary pods not ready yet: stable keeps its pods").isEqualTo(10);
    assertThat(s.events().get(s.events().size() - 1).message()).contains("at 14 pods beside 1 stable");
    s.turnAfter(STEP);
    assertThat(s.ready(canary)).isEqualTo(14);
    assertThat(s.replicas(stable)).isEqualTo(1);
    s.turnAfter(STEP);
    assertThat(s.status().getActualWeight()).as("14 of 15 ready pods").isEqualTo(93);
    assertThat(s.status().getCurrentStage().getReadyAt()).isNotNull();

    s.script(ReleaseScenario.ERROR_RATE, ReleaseScenario.failing());
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(2));
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.replicas(canary)).isZero();
  }

  @Test
  @DisplayName("given the last stage (100%), when the canary is at full size but the stable revision still has ready pods, then the stage has not reached its weight yet: no readyAt, actual weight 50%")
  void lastStageReachesItsWeightWhenStableIsGone() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("full"), Duration.ofMinutes(10));

    assertThat(s.ready(canary)).isEqualTo(10);
    assertThat(s.status().getActualWeight()).as("10 canary + 10 stable ready pods").isEqualTo(50);
    assertThat(s.status().getCurrentStage().getReadyAt()).isNull();
    assertThat(s.replicas(stable)).isZero();

    s.turnAfter(STEP);
    assertThat(s.status().getActualWeight()).isEqualTo(100);
    assertThat(s.status().getCurrentStage().getReadyAt()).isEqualTo(Timestamps.precise(s.now()));
  }

  @Test
  @DisplayName("given a canary at 50%, when a newer template arrives, then the canary is abandoned and the newest starts over from stage 0")
  void newerTemplateDuringCanaryStartsOver() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String second = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    s.turnAfter(STEP);
    int mark = s.mark();

    String third = s.changeTemplate("registry.example/web:3.0");
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(s.status().getCanaryRevision()).isEqualTo(third);
    assertThat(s.status().getStableRevision()).isEqualTo(stable);
    assertThat(s.status().getCurrentStage().getIndex()).isZero();
    assertThat(s.reasonsSince(mark)).containsExactly("CanaryAbandoned", "StageStarted");
    assertThat(plan.changes()).contains(new WorkloadChange.Delete(second), new WorkloadChange.Scale(third, 1),
        new WorkloadChange.Scale(stable, 10));
    assertThat(s.exists(second)).isFalse();

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));
    assertThat(s.status().getStableRevision()).isEqualTo(third);
  }

  @Test
  @DisplayName("given a canary, when the template is reverted to the stable revision, then the canary is removed and the Release is Promoted on the stable revision")
  void revertToStableAbandonsCanary() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.turn();
    s.turnAfter(STEP);
    int mark = s.mark();

    s.changeTemplate("registry.example/web:1.0");
    s.turnAfter(STEP);

    assertThat(s.revision()).isEqualTo(stable);
    assertThat(s.reasonsSince(mark)).containsExactly("CanaryAbandoned");
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Promoted);
    assertThat(s.exists(canary)).isFalse();
    assertThat(s.replicas(stable)).isEqualTo(10);
  }

  @Test
  @DisplayName("given a canary that completes its last stage, when it is promoted, then its Deployment was created once and only ever scaled: never deleted, recreated or given another template")
  void promotionOnlyScales() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    int firstPlan = s.plans().size();

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));
    s.runFor(Duration.ofMinutes(1));

    assertThat(s.creations(canary)).isEqualTo(1);
    assertThat(s.deletions()).doesNotContain(canary);
    assertThat(s.image(canary)).isEqualTo(V2);
    List<WorkloadChange> forCanary = s.plans().subList(firstPlan, s.plans().size()).stream()
        .flatMap(p -> p.changes().stream()).filter(c -> c.revision().equals(canary)).toList();
    assertThat(forCanary).isNotEmpty().allSatisfy(c -> assertThat(c).isInstanceOf(WorkloadChange.Scale.class));
    ReleasePlan promoting = s.plans().stream().filter(p -> p.notes().stream().anyMatch(n -> n.reason().equals("Promoted")))
        .findFirst().orElseThrow();
    assertThat(promoting.changes()).contains(new WorkloadChange.Scale(canary, 10));
  }

  @Test
  @DisplayName("given a promote-full from the first stage, when the new revision is not yet at full size, then the old revision keeps serving at full size until it is")
  void oldRevisionScalesDownOnlyWhenNewIsFull() {
    ReleaseScenario s = ReleaseScenario.standard();
    String old = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.turn();
    s.turnAfter(STEP);

    s.annotate("promote-full");
    s.turnAfter(STEP);
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
    assertThat(s.replicas(canary)).isEqualTo(10);
    assertThat(s.replicas(old)).as("new revision has 1 ready pod").isEqualTo(10);
    assertThat(s.status().getPhase()).as("not serving at full size yet").isEqualTo(ReleasePhase.Progressing);

    s.turnAfter(STEP);
    assertThat(s.exists(old)).isFalse();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Promoted);
  }

  @Test
  @DisplayName("given a Release going from stable to canary to promoted, when conditions are written, then they follow kstatus with the observed generation and keep lastTransitionTime until their status flips")
  void kstatusConditions() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    Instant readySince = s.now();
    assertCondition(s, Conditions.READY, "True", readySince);
    assertCondition(s, Conditions.RECONCILING, "False", null);
    assertCondition(s, Conditions.STALLED, "False", null);
    assertThat(s.condition(Conditions.READY).getObservedGeneration()).isEqualTo(1L);

    s.changeTemplate(V2);
    s.turnAfter(STEP);
    Instant canaryStarted = s.now();
    assertThat(s.status().getObservedGeneration()).isEqualTo(2L);
    assertThat(s.status().getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
    assertCondition(s, Conditions.READY, "False", canaryStarted);
    assertCondition(s, Conditions.RECONCILING, "True", canaryStarted);
    String stalledSince = s.condition(Conditions.STALLED).getLastTransitionTime();

    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    assertCondition(s, Conditions.RECONCILING, "True", canaryStarted);
    assertThat(s.condition(Conditions.STALLED).getLastTransitionTime()).as("Stalled stayed False").isEqualTo(stalledSince);
    assertThat(s.condition(Conditions.RECONCILING).getMessage()).contains("canary-50");

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    Instant promoted = s.now();
    assertCondition(s, Conditions.READY, "True", promoted);
    assertCondition(s, Conditions.RECONCILING, "False", promoted);
    assertThat(s.condition(Conditions.READY).getReason()).isEqualTo("Promoted");
  }

  private static void assertCondition(ReleaseScenario s, String type, String status, Instant since) {
    Condition c = s.condition(type);
    assertThat(c).as(type).isNotNull();
    assertThat(c.getStatus()).as(type + " status").isEqualTo(status);
    if (since != null) {
      assertThat(c.getLastTransitionTime()).as(type + " lastTransitionTime").isEqualTo(Timestamps.format(since));
    }
  }
}
