package dev.stagegate.release;

import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Copies;
import dev.stagegate.common.Timestamps;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.WorkloadChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A Release as the scaleTargetRef of a HorizontalPodAutoscaler: the HPA writes spec.replicas through the /scale
 * subresource (here: an edit that bumps the generation, as the API server does), and the planner sizes both
 * revisions from it in the same turn, without restarting the stage or its evidence.
 */
class ReleaseScaleTest {
  private static final String V2 = "registry.example/web:2.0";

  /** The standard Release (10 replicas, 10% / 50% / 100%, 2 m stages) with a canary counting in canary-10. */
  private static ReleaseScenario countingAtTenPercent(ReleaseScenario s) {
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-10") && x.status().getCurrentStage().getReadyAt() != null, Duration.ofMinutes(1));
    return s;
  }

  private static void scaleTo(ReleaseScenario s, int replicas) {
    s.edit(spec -> spec.setReplicas(replicas));
  }

  @Test
  @DisplayName("given a stable Release, then status.replicas counts its ready pods and status.selector selects its pods by spec.selector and the release label")
  void scaleStatus() {
    ReleaseScenario s = ReleaseScenario.standard();

    s.turn();
    assertThat(s.status().getReplicas()).as("nothing ready yet").isZero();

    s.turnAfter(STEP);
    assertThat(s.status().getReplicas()).isEqualTo(10);
    assertThat(s.status().getSelector()).isEqualTo("app=web,stagegate.dev/release=web");
  }

  @Test
  @DisplayName("given a canary counting at 10% for 1 of its 2 minutes, when the HPA scales 10 -> 20, then that turn sizes the canary to 2 and stable to 20, and the stage, its start and its evidence go on unchanged")
  void scaleUpInTheMiddleOfAStage() {
    ReleaseScenario s = countingAtTenPercent(ReleaseScenario.standard());
    String stable = s.release().getStatus().getStableRevision();
    String canary = s.status().getCanaryRevision();
    s.runFor(Duration.ofMinutes(1));
    StageStatus before = Copies.deep(s.status().getCurrentStage(), StageStatus.class);
    int evaluationsBefore = s.checkStatus(ERROR_RATE).getEvaluations();
    assertThat(evaluationsBefore).isGreaterThan(0);
    int mark = s.mark();

    scaleTo(s, 20);
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 2), new WorkloadChange.Scale(stable, 20));
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-10");
    assertThat(s.status().getCurrentStage().getStartedAt()).isEqualTo(before.getStartedAt());
    assertThat(s.status().getCurrentStage().getReadyAt()).isEqualTo(before.getReadyAt());
    assertThat(s.checkStatus(ERROR_RATE).getEvaluations()).as("evidence kept").isGreaterThanOrEqualTo(evaluationsBefore);
    assertThat(s.reasonsSince(mark)).doesNotContain("StageStarted", "RolledBack");
    assertThat(s.status().getReplicas()).as("ready pods the turn observed").isEqualTo(11);

    s.turnAfter(STEP);
    assertThat(s.status().getReplicas()).isEqualTo(22);

    // The stage ends 2 minutes after it first became ready, not 2 minutes after the scale change.
    s.runUntil(x -> x.reasonsSince(mark).contains("StageCompleted"), Duration.ofMinutes(3));
    Instant readyAt = Timestamps.parse(before.getReadyAt());
    assertThat(s.now()).isBefore(readyAt.plus(Duration.ofMinutes(3)));
    assertThat(s.replicas(stable)).isEqualTo(20);
    assertThat(s.replicas(canary)).as("50% beside 20 stable within the 100% surge").isEqualTo(20);
  }

  @Test
  @DisplayName("given a canary at 50% (10 + 10 pods), when the HPA scales 10 -> 4, then both revisions go to 4 at once and the stage goes on")
  void scaleDownInTheMiddleOfAStage() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-50") && x.status().getCurrentStage().getReadyAt() != null, Duration.ofMinutes(5));
    String startedAt = s.status().getCurrentStage().getStartedAt();
    int mark = s.mark();

    scaleTo(s, 4);
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 4), new WorkloadChange.Scale(stable, 4));
    assertThat(s.status().getCurrentStage().getStartedAt()).isEqualTo(startedAt);
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    assertThat(s.reasonsSince(mark)).containsExactly("StageCompleted", "StageStarted", "StageCompleted", "Promoted");
    assertThat(s.replicas(canary)).isEqualTo(4);
    assertThat(s.status().getReplicas()).isEqualTo(4);
  }

  @Test
  @DisplayName("given a canary the HPA scaled 10 -> 16 at 50%, when `abort` is given, then stable goes to 16, and a later HPA change to 6 reaches stable without any action")
  void stableFollowsTheHpaAfterAnAbort() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    scaleTo(s, 16);
    s.turnAfter(STEP);

    s.annotate("abort");
    ReleasePlan aborted = s.turnAfter(STEP);

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(aborted.changes()).contains(new WorkloadChange.Scale(stable, 16), new WorkloadChange.Scale(canary, 0));

    scaleTo(s, 6);
    ReleasePlan scaled = s.turnAfter(STEP);

    assertThat(scaled.changes()).contains(new WorkloadChange.Scale(stable, 6), new WorkloadChange.Scale(canary, 0));
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    s.turnAfter(STEP);
    assertThat(s.replicas(stable)).isEqualTo(6);
    assertThat(s.status().getReplicas()).isEqualTo(6);
  }

  @Test
  @DisplayName("given a routed canary at 50% (5 pods beside 10 stable), when the HPA scales 10 -> 20, then the canary gets the routing engine's 10 pods, stable 20, and the route stays at 50/50")
  void routedCanaryKeepsTheEnginesPodCount() {
    ReleaseScenario s = ReleaseScenario.standard().routed(Duration.ofSeconds(30)).edit(spec -> spec.setStages(
        new ArrayList<>(List.of(new Stage("canary-5", 5, "1m", null), new Stage("canary-50", 50, "2m", null),
            new Stage("full", 100, null, null)))));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(x -> x.inStage("canary-50") && x.status().getCurrentStage().getReadyAt() != null, Duration.ofMinutes(5));
    assertThat(s.replicas(canary)).isEqualTo(5);
    assertThat(s.replicas(stable)).isEqualTo(10);
    String readyAt = s.status().getCurrentStage().getReadyAt();

    scaleTo(s, 20);
    ReleasePlan plan = s.turnAfter(STEP);

    assertThat(plan.changes()).contains(new WorkloadChange.Scale(canary, 10), new WorkloadChange.Scale(stable, 20));
    assertThat(s.status().getTrafficRouting().getRequestedWeights()).isEqualTo("1/1");
    assertThat(s.status().getCurrentStage().getReadyAt()).isEqualTo(readyAt);
  }
}
