package dev.stagegate.release;

import static dev.stagegate.release.ReleaseScenario.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.common.LinkPolicy;
import dev.stagegate.api.common.LinkStatus;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Conditions;
import dev.stagegate.link.LinkView;
import dev.stagegate.release.plan.ReleaseValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** spec.gates on a Release: waiting for a DataMigration, opening, and following its failure. */
class ReleaseLinkTest {
  private static final String V2 = "registry.example/web:2.0";
  private static final String MIGRATION = "DataMigration/members-2025";

  private static ReleaseScenario gated(int stage, GateUntil until, LinkPolicy policy) {
    ReleaseScenario s = ReleaseScenario.standard();
    s.edit(spec -> {
      ReleaseGate gate = new ReleaseGate(stage, "members-2025", until);
      gate.setOnFailure(policy);
      spec.setGates(new ArrayList<>(List.of(gate)));
    });
    return s;
  }

  private static LinkView missing() {
    return LinkView.missing(MIGRATION, LinkPolicy.RollBackBoth);
  }

  private static LinkView verified(int stages, LinkPolicy policy) {
    return new LinkView(MIGRATION, true, true, "Migrating", stages, false, null, null, policy);
  }

  private static LinkView succeeded() {
    return new LinkView(MIGRATION, true, true, "Succeeded", 3, true, null, null, LinkPolicy.RollBackBoth);
  }

  private static LinkView rollingBack(Instant at, LinkPolicy policy) {
    return new LinkView(MIGRATION, true, true, "RollingBack", 0, false, at,
        "RollingBack (WorkerFailed): stage pilot (1/3): worker Job members-2025-pilot-load failed", policy);
  }

  private static boolean waitingForGate(ReleaseScenario s) {
    return ReleaseReasons.Pause.WaitingForGate.name().equals(s.status().getPauseReason());
  }

  @Test
  @DisplayName("given stage canary-50 waits for a DataMigration that does not exist yet, when canary-10 completes, then the canary holds at 10% with Progressing/WaitingForGate naming it; when the migration verifies its stage 0, then the Release goes on and promotes")
  void waitsForAMissingMigrationThenGoesOn() {
    ReleaseScenario s = gated(1, new GateUntil(0, null), LinkPolicy.RollBackBoth).links(missing());
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntil(ReleaseLinkTest::waitingForGate, Duration.ofMinutes(10));
    s.runFor(Duration.ofMinutes(2));

    assertThat(s.inStage("canary-10")).isTrue();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.condition(Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.RECONCILING).getReason()).isEqualTo("WaitingForGate");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(s.status().getMessage()).contains("stage canary-50 waits for DataMigration/members-2025 to reach stage 0 done (not found yet)");
    assertThat(s.reasons()).containsOnlyOnce("WaitingForGate");

    s.links(verified(1, LinkPolicy.RollBackBoth));
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(20));

    assertThat(s.reasons()).contains("GateOpened", "Promoted");
    assertThat(s.status().getStableRevision()).isEqualTo(canary).isNotEqualTo(stable);
    assertThat(s.status().getLinks()).singleElement().satisfies(l -> {
      assertThat(l.getResource()).isEqualTo(MIGRATION);
      assertThat(l.getOpenedGates()).containsExactly(1);
    });
  }

  @Test
  @DisplayName("given stage 0 waits for the migration to succeed, when the new revision arrives, then its canary gets no pods and no check runs, and the progress deadline does not run out while waiting; when the migration succeeds, then the canary starts")
  void stageZeroGateHoldsTheCanaryAtNoPods() {
    ReleaseScenario s = gated(0, new GateUntil(null, "Succeeded"), LinkPolicy.RollBackBoth)
        .links(verified(1, LinkPolicy.RollBackBoth));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runFor(Duration.ofMinutes(12));

    assertThat(s.status().getCanaryRevision()).isEqualTo(canary);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.replicas(canary)).isZero();
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.evaluationsOf(canary)).isZero();
    assertThat(s.status().getMessage()).contains("waits for DataMigration/members-2025 to reach phase Succeeded (now Migrating, 1 stage(s) done)");
    assertThat(s.reasons()).doesNotContain("ProgressDeadlineExceeded", "RolledBack");

    s.links(succeeded());
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(20));
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
  }

  @Test
  @DisplayName("given a canary waiting for its migration, when the migration rolls back, then the canary rolls back in that turn with a LinkedMigrationFailed Warning naming the migration, recorded in status.links; restarts afterwards change nothing")
  void migrationFailureRollsTheReleaseBack() {
    ReleaseScenario s = gated(1, new GateUntil(0, null), LinkPolicy.RollBackBoth).links(verified(0, LinkPolicy.RollBackBoth));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.runUntil(ReleaseLinkTest::waitingForGate, Duration.ofMinutes(10));
    int mark = s.mark();

    s.links(rollingBack(s.now(), LinkPolicy.RollBackBoth));
    s.turn();

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(s.status().getFailedRevision()).isEqualTo(canary);
    assertThat(s.replicas(canary)).isZero();
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.status().getMessage()).contains("linked DataMigration/members-2025 RollingBack (WorkerFailed)");
    assertThat(s.status().getRolledBackAt()).isNotNull();
    assertThat(s.reasonsSince(mark)).containsExactly("LinkedMigrationFailed", "RolledBack");
    assertThat(s.status().getLinks()).singleElement().satisfies(l -> {
      assertThat(l.getState()).isEqualTo(LinkStatus.FAILED);
      assertThat(l.getMessage()).contains("rolled this Release back");
    });

    s.restartEveryTurn();
    s.runFor(Duration.ofMinutes(1));
    assertThat(s.reasonsSince(mark)).containsOnlyOnce("LinkedMigrationFailed", "RolledBack");
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
  }

  @Test
  @DisplayName("given a migration that rolled back before this canary started, when the canary waits for it, then that older failure is not followed: the canary waits with a message saying so")
  void anOlderFailureIsNotFollowed() {
    ReleaseScenario s = gated(1, new GateUntil(0, null), LinkPolicy.RollBackBoth)
        .links(rollingBack(START.minus(Duration.ofHours(1)), LinkPolicy.RollBackBoth));
    s.deployFirstRevision();
    s.changeTemplate(V2);

    s.runUntil(ReleaseLinkTest::waitingForGate, Duration.ofMinutes(10));

    assertThat(s.reasons()).doesNotContain("RolledBack", "LinkedMigrationFailed");
    assertThat(s.status().getMessage()).contains("now RollingBack, 0 stage(s) done; RollingBack (WorkerFailed)");
  }

  @Test
  @DisplayName("given an Independent link, when the migration rolls back, then the Release does not roll back; its gate keeps waiting")
  void independentLinkDoesNotFollow() {
    ReleaseScenario s = gated(1, new GateUntil(0, null), LinkPolicy.Independent)
        .links(verified(0, LinkPolicy.Independent));
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.runUntil(ReleaseLinkTest::waitingForGate, Duration.ofMinutes(10));

    s.links(rollingBack(s.now(), LinkPolicy.Independent));
    s.runFor(Duration.ofMinutes(1));

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(s.reasons()).doesNotContain("RolledBack", "LinkedMigrationFailed");
    assertThat(s.inStage("canary-10")).isTrue();
  }

  @Test
  @DisplayName("given gates with a stage out of range, an empty name, and both or neither of until.stage and until.phase, then each is InvalidSpec naming its field")
  void badGatesAreInvalidSpec() {
    ReleaseScenario s = ReleaseScenario.standard();
    ReleaseGate outOfRange = new ReleaseGate(3, "members-2025", new GateUntil(0, null));
    ReleaseGate noName = new ReleaseGate(0, "", new GateUntil(0, null));
    ReleaseGate both = new ReleaseGate(1, "members-2025", new GateUntil(0, "Succeeded"));
    ReleaseGate neither = new ReleaseGate(1, "members-2025", new GateUntil(null, null));
    ReleaseGate wrongPhase = new ReleaseGate(1, "members-2025", new GateUntil(null, "Promoted"));
    s.edit(spec -> spec.setGates(new ArrayList<>(List.of(outOfRange, noName, both, neither, wrongPhase))));

    List<String> errors = ReleaseValidator.validate(s.release());

    assertThat(errors).containsExactly(
        "spec.gates[0].stage: must be a stage index from 0 to 2, got 3",
        "spec.gates[1].dataMigration: must name a resource in this namespace",
        "spec.gates[2].until: set exactly one of stage and phase",
        "spec.gates[3].until: set exactly one of stage and phase",
        "spec.gates[4].until.phase: must be Succeeded, got 'Promoted'");
    s.turn();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(s.condition(Conditions.STALLED).getReason()).isEqualTo("InvalidSpec");
    assertThat(s.status().getMessage()).contains("spec.gates[0].stage");
  }
}
