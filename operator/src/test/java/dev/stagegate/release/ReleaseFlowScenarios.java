package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Release flow, end to end through the real operator. Each tier (mock API server, real API
 * server) runs these same scenarios by providing the harness; only the API server differs.
 */
public abstract class ReleaseFlowScenarios {
  protected static final Duration WAIT = Duration.ofSeconds(60);

  /** Scripted check values: healthy unless a test says otherwise for a revision. */
  protected final ScriptedMetrics metrics = new ScriptedMetrics().otherwise(0.001);

  protected abstract OperatorHarness harness();

  protected static Releases checkout(String name) {
    return Releases.named(name, "shop")
        .stage("canary-10", 10, "1s")
        .stage("canary-50", 50, "1s")
        .stage("full", 100, "500ms")
        .errorRateCheck("500ms", 2, 0.01);
  }

  protected static String revisionOf(Release release) {
    return RevisionHash.of(release);
  }

  protected Release deployStable(String name) {
    harness().apply(checkout(name).build());
    Release stable = harness().awaitPhase(name, ReleasePhase.Promoted, WAIT);
    assertThat(stable.getStatus().getStableRevision()).isNotBlank();
    return stable;
  }

  @Test
  @DisplayName("given a stable release, when a healthy revision is applied, then it goes 10% -> 50% -> 100% and is promoted")
  void healthyRevisionIsPromoted() {
    Release v1 = deployStable("healthy");
    String stable = v1.getStatus().getStableRevision();

    String canary = revisionOf(harness().changeImage("healthy", "example.com/healthy:v2"));

    Release seenAt50 = harness().awaitStatus("healthy", r -> r.getStatus().getCurrentStage() != null
        && r.getStatus().getCurrentStage().getIndex() == 1 && r.getStatus().getActualWeight() != null
        && r.getStatus().getActualWeight() == 50, WAIT);
    assertThat(seenAt50.getStatus().getCanaryRevision()).isEqualTo(canary);

    Release promoted = harness().awaitStatus("healthy", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && canary.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(promoted.getStatus().getCanaryRevision()).isNull();
    assertThat(condition(promoted, "Ready").getStatus()).isEqualTo("True");
    harness().awaitStatus("healthy", r -> !harness().replicasByRevision("healthy").containsKey(stable)
        && harness().replicasByRevision("healthy").getOrDefault(canary, 0) == 10, WAIT);
    awaitEvents("healthy", "StableDeployed", "StageStarted", "StageCompleted", "Promoted");
  }

  @Test
  @DisplayName("given a stable release, when the new revision's error rate is above max, then it is rolled back in the first stage and not retried by itself")
  void failingRevisionIsRolledBack() {
    Release v1 = deployStable("failing");
    String stable = v1.getStatus().getStableRevision();
    String bad = revisionOf(Releases.named("failing", "shop").image("v2").build());
    metrics.revision(bad, 0.05);

    harness().changeImage("failing", "example.com/failing:v2");
    Release rolledBack = harness().awaitPhase("failing", ReleasePhase.RolledBack, WAIT);

    assertThat(rolledBack.getStatus().getFailedRevision()).isEqualTo(bad);
    assertThat(rolledBack.getStatus().getStableRevision()).isEqualTo(stable);
    assertThat(rolledBack.getStatus().getMessage()).contains("error-rate");
    assertThat(condition(rolledBack, "Stalled").getStatus()).isEqualTo("True");
    assertThat(condition(rolledBack, "Stalled").getReason()).isEqualTo("RolledBack");
    harness().awaitStatus("failing", r -> harness().replicasByRevision("failing").getOrDefault(bad, -1) == 0
        && harness().replicasByRevision("failing").get(stable) == 10, WAIT);
    awaitEvents("failing", "CheckFailed", "RolledBack");

    sleep(Duration.ofSeconds(2));
    assertThat(harness().get("failing").getStatus().getPhase()).as("the same template is not retried by itself")
        .isEqualTo(ReleasePhase.RolledBack);

    metrics.revision(bad, 0.0);
    harness().annotate("failing", "retry");
    Release promoted = harness().awaitStatus("failing", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && bad.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("stagegate.dev/action");
  }

  @Test
  @DisplayName("given a stage that needs approval, when it completes, then the release waits until `promote` is annotated, which is applied once and removed")
  void manualApprovalWaitsForPromote() {
    harness().apply(Releases.named("approval", "shop")
        .stage("canary-10", 10, "500ms").manualStage("canary-50", 50, "500ms").stage("full", 100, "500ms")
        .errorRateCheck("500ms", 1, 0.01).build());
    harness().awaitPhase("approval", ReleasePhase.Promoted, WAIT);
    harness().changeImage("approval", "example.com/approval:v2");

    Release waiting = harness().awaitPause("approval", "AwaitingApproval", WAIT);
    assertThat(waiting.getStatus().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(waiting.getStatus().getCurrentStage().getName()).isEqualTo("canary-50");
    sleep(Duration.ofSeconds(1));
    assertThat(harness().get("approval").getStatus().getCurrentStage().getName()).isEqualTo("canary-50");

    harness().annotate("approval", "promote");
    Release promoted = harness().awaitStatus("approval", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && r.getStatus().getCanaryRevision() == null, WAIT);
    assertThat(promoted.getMetadata().getAnnotations()).doesNotContainKey("stagegate.dev/action");
    awaitEvents("approval", "AwaitingApproval", "ActionApplied", "Promoted");
  }

  @Test
  @DisplayName("given a 90% stage and maxSurge 50% of 10 replicas, then the canary's Deployment gets 14 pods and the stable one shrinks to 1, and promotion ends at 10 pods of the new revision")
  void maxSurgeCapsAHighWeight() {
    Release release = Releases.named("surge", "shop").replicas(10).stage("canary-10", 10, "200ms")
        .manualStage("canary-90", 90, "200ms").stage("full", 100, "200ms").build();
    release.getSpec().setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString("50%"));
    harness().apply(release);
    String stable = harness().awaitPhase("surge", ReleasePhase.Promoted, WAIT).getStatus().getStableRevision();
    String canary = revisionOf(harness().changeImage("surge", "example.com/surge:v2"));

    Release held = harness().awaitPause("surge", "AwaitingApproval", WAIT);

    assertThat(held.getStatus().getCurrentStage().getName()).isEqualTo("canary-90");
    assertThat(held.getStatus().getActualWeight()).as("14 of 15 ready pods").isEqualTo(93);
    assertThat(harness().replicasByRevision("surge")).containsEntry(canary, 14).containsEntry(stable, 1);
    harness().annotate("surge", "promote");
    harness().awaitStatus("surge", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && canary.equals(r.getStatus().getStableRevision()), WAIT);
    org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(harness().replicasByRevision("surge"))
        .containsEntry(canary, 10).doesNotContainKey(stable));
  }

  @Test
  @DisplayName("given a canary whose pods never become ready, when the progress deadline passes, then it is rolled back")
  void crashLoopingCanaryIsRolledBackAtTheDeadline() {
    harness().apply(checkout("crashing").progressDeadline("3s").build());
    harness().awaitPhase("crashing", ReleasePhase.Promoted, WAIT);

    harness().crashLoopNextRevision("crashing", "example.com/crashing:v2");
    Release rolledBack = harness().awaitPhase("crashing", ReleasePhase.RolledBack, WAIT);
    assertThat(rolledBack.getStatus().getMessage()).contains("ready pods").contains("progress deadline");
    awaitEvents("crashing", "RolledBack");
  }

  @Test
  @DisplayName("given a canary in progress, when a newer template arrives, then the canary is abandoned and the newest starts from stage 0")
  void newerTemplateRestartsTheCanary() {
    harness().apply(Releases.named("restart", "shop").stage("slow", 10, "1h").stage("full", 100, "1s")
        .errorRateCheck("500ms", 1, 0.01).build());
    harness().awaitPhase("restart", ReleasePhase.Promoted, WAIT);

    String first = revisionOf(harness().changeImage("restart", "example.com/restart:v2"));
    harness().awaitStatus("restart", r -> first.equals(r.getStatus().getCanaryRevision()), WAIT);
    String second = revisionOf(harness().changeImage("restart", "example.com/restart:v3"));

    Release restarted = harness().awaitStatus("restart", r -> second.equals(r.getStatus().getCanaryRevision()), WAIT);
    assertThat(restarted.getStatus().getCurrentStage().getIndex()).isZero();
    harness().awaitStatus("restart", r -> !harness().replicasByRevision("restart").containsKey(first), WAIT);
    awaitEvents("restart", "CanaryAbandoned");
  }

  @Test
  @DisplayName("given a canary in progress, when `abort` is annotated, then it is rolled back at once")
  void abortRollsBack() {
    harness().apply(Releases.named("abort", "shop").stage("slow", 10, "1h").stage("full", 100, "1s").build());
    harness().awaitPhase("abort", ReleasePhase.Promoted, WAIT);
    String canary = revisionOf(harness().changeImage("abort", "example.com/abort:v2"));
    harness().awaitStatus("abort", r -> canary.equals(r.getStatus().getCanaryRevision()), WAIT);

    harness().annotate("abort", "abort");
    Release rolledBack = harness().awaitPhase("abort", ReleasePhase.RolledBack, WAIT);
    assertThat(rolledBack.getStatus().getFailedRevision()).isEqualTo(canary);
  }

  @Test
  @DisplayName("given spec.paused set together with a new template (a freeze), then the new revision gets no pods until it is cleared, then it is canaried and promoted")
  void declarativePauseHoldsTheNewRevision() {
    harness().apply(checkout("paused").build());
    harness().awaitPhase("paused", ReleasePhase.Promoted, WAIT);
    harness().edit("paused", r -> {
      r.getSpec().setPaused(true);
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/paused:v2");
      return r;
    });
    Release held = harness().awaitPhase("paused", ReleasePhase.Paused, WAIT);
    sleep(Duration.ofSeconds(3));
    assertThat(harness().get("paused").getStatus().getCanaryRevision()).isNull();
    assertThat(harness().deployments("paused")).as("only the stable revision's Deployment").hasSize(1);
    assertThat(held.getStatus().getPauseReason()).isEqualTo("Spec");
    assertThat(held.getStatus().getMessage()).contains("waits to start its canary");

    harness().edit("paused", r -> {
      r.getSpec().setPaused(false);
      return r;
    });
    harness().awaitStatus("paused", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && r.getStatus().getCanaryRevision() == null && r.getStatus().getStableRevision().equals(
            RevisionHash.of(r)), WAIT);
    org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(harness().eventReasons("paused"))
        .containsSubsequence("Paused", "Resumed", "StageStarted", "Promoted"));
  }

  @Test
  @DisplayName("given a canary, when its checks cannot be evaluated (Prometheus down), then the stage holds without rollback and continues once they can")
  void queryErrorsHoldTheStage() {
    harness().apply(checkout("blind").build());
    harness().awaitPhase("blind", ReleasePhase.Promoted, WAIT);
    metrics.everything(new QueryResult.Failed("Prometheus is unreachable"));
    try {
      String canary = revisionOf(harness().changeImage("blind", "example.com/blind:v2"));
      harness().awaitStatus("blind", r -> r.getStatus().getChecks() != null && !r.getStatus().getChecks().isEmpty()
          && r.getStatus().getChecks().get(0).getLastResult() == CheckResult.Error, WAIT);
      sleep(Duration.ofSeconds(3));
      Release held = harness().get("blind");
      assertThat(held.getStatus().getCanaryRevision()).isEqualTo(canary);
      assertThat(held.getStatus().getCurrentStage().getIndex()).isZero();
      assertThat(held.getStatus().getPhase()).isEqualTo(ReleasePhase.Progressing);
      assertThat(held.getStatus().getChecks().get(0).getConsecutiveFailures()).isZero();
    } finally {
      metrics.everything(null);
    }
    harness().awaitStatus("blind", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && r.getStatus().getCanaryRevision() == null, WAIT);
  }

  @Test
  @DisplayName("given a release the operator's validation refuses, then it is Failed with InvalidSpec naming the field, and nothing is deployed")
  void invalidSpecIsRefusedByTheOperator() {
    Release failed = harness().awaitPhase(applyInvalidRelease("invalid"), ReleasePhase.Failed, WAIT);
    assertThat(failed.getStatus().getMessage()).contains(invalidField());
    assertThat(condition(failed, "Stalled").getReason()).isEqualTo("InvalidSpec");
    assertThat(harness().deployments("invalid")).isEmpty();
  }

  @Test
  @DisplayName("given a rollout, when the operator is stopped and a new instance started at every stage boundary, then the outcome equals an uninterrupted run")
  void restartAtEveryStageBoundaryChangesNothing() {
    deployStable("restarts");
    String canary = revisionOf(harness().changeImage("restarts", "example.com/restarts:v2"));
    for (int stage = 0; stage < 3; stage++) {
      int index = stage;
      harness().awaitStatus("restarts", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
          || (r.getStatus().getCurrentStage() != null && r.getStatus().getCurrentStage().getIndex() == index), WAIT);
      harness().stopOperator();
      harness().startOperator();
    }
    Release promoted = harness().awaitStatus("restarts", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && canary.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(promoted.getStatus().getFailedRevision()).isNull();
    long stageStarts = harness().eventReasons("restarts").stream().filter("StageStarted"::equals).count();
    assertThat(stageStarts).as("no stage is replayed").isEqualTo(3);
  }

  /**
   * Applies a Release that only the operator can refuse on this tier, and returns its name. The mock
   * server checks no schema, so a bad duration gets through; a real API server tier must pick a rule
   * no schema can state (see its override).
   */
  protected String applyInvalidRelease(String name) {
    harness().apply(Releases.named(name, "shop").stage("a", 50, "1s").stage("b", 100, "5 minutes").build());
    return name;
  }

  /** The field the message of {@link #applyInvalidRelease} must name. */
  protected String invalidField() {
    return "spec.stages[1].duration";
  }

  /** Events are written just after the status that decided them, so they may trail it a little. */
  protected void awaitEvents(String name, String... reasons) {
    harness().awaitEvents(name, WAIT, reasons);
  }

  protected static Condition condition(Release release, String type) {
    return release.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + release.getStatus().getConditions()));
  }

  protected static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
