package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Release and the DataMigration it needs, applied in one commit, through the real operator and a real
 * PostgreSQL: the app's full rollout waits for the pilot's members, the rest of the members wait for the app,
 * a bad loader takes both back, and an aborted Release aborts the migration. Run on the mock API server and on a
 * real kube-apiserver.
 */
@Tag("postgres")
abstract class LinkedRolloutScenarios extends MigrationScenarioBase {
  private static final String WEB = "web";

  /** web v1 serving, then one commit: web v2 whose full stage waits for the pilot, and the migration whose full stage waits for web. */
  private OperatorHarness applyTogether() {
    return applyTogether(false);
  }

  private OperatorHarness applyTogether(boolean manualFull) {
    OperatorHarness releases = harness.releases();
    Releases web = Releases.named(WEB, harness.namespace()).replicas(2).progressDeadline("2m").stage("canary-50", 50, "1s");
    releases.apply((manualFull ? web.manualStage("full", 100, null) : web.stage("full", 100, null)).build());
    releases.awaitPhase(WEB, ReleasePhase.Promoted, WAIT);

    releases.edit(WEB, r -> {
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/web:v2");
      r.getSpec().setGates(new ArrayList<>(List.of(new ReleaseGate(1, NAME, new GateUntil(0, null)))));
      return r;
    });
    DataMigration migration = members2025().stage("pilot", 1).stage("full", 100).build();
    migration.getSpec().setGates(new ArrayList<>(List.of(new MigrationGate(1, WEB, new GateUntil(null, "Promoted")))));
    harness.apply(migration);
    return releases;
  }

  @Test
  @DisplayName("given web v2 needs the pilot's members and the migration's full stage needs web promoted, when the loader is good, then web waits at canary-50 (WaitingForGate), promotes once the pilot is verified, and only then the rest of the members load")
  void goodLoaderLetsTheReleasePromote() throws Exception {
    MemberLoader.Gate pilot = loader.hold(NAME + "-pilot-load");
    OperatorHarness releases = applyTogether();

    Release waiting = releases.awaitPause(WEB, "WaitingForGate", WAIT);
    assertThat(waiting.getStatus().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(waiting.getStatus().getMessage()).contains("waits for DataMigration/" + NAME + " to reach stage 0 done");
    pilot.release();

    Release promoted = releases.awaitPhase(WEB, ReleasePhase.Promoted, WAIT);
    DataMigration done = harness.awaitPhase(NAME, MigrationPhase.Succeeded, WAIT);

    assertThat(promoted.getStatus().getStableRevision()).isEqualTo(waiting.getStatus().getCanaryRevision());
    assertThat(releases.awaitEvents(WEB, WAIT, "WaitingForGate", "GateOpened", "Promoted")).doesNotContain("RolledBack");
    assertThat(done.getStatus().getLinks()).singleElement()
        .satisfies(l -> assertThat(l.getOpenedGates()).containsExactly(1));
    assertThat(targetRows()).isEqualTo(EXISTING + rows());
  }

  @Test
  @DisplayName("given the same commit, when the loader crashes on the pilot, then the migration undoes the pilot and the waiting canary rolls back with LinkedMigrationFailed naming the migration; the target is as before")
  void badLoaderRollsBothBack() throws Exception {
    loader.fault(MemberLoader.Fault.FAIL);
    OperatorHarness releases = applyTogether();

    Release rolledBack = releases.awaitPhase(WEB, ReleasePhase.RolledBack, WAIT);
    DataMigration undone = harness.awaitStatus(NAME, m -> terminal(m.getStatus().getPhase()), WAIT);

    assertThat(rolledBack.getStatus().getMessage()).contains("linked DataMigration/" + NAME, "WorkerFailed");
    assertThat(rolledBack.getStatus().getLinks()).singleElement().satisfies(l -> assertThat(l.getState()).isEqualTo("Failed"));
    assertThat(releases.awaitEvents(WEB, WAIT, "LinkedMigrationFailed", "RolledBack")).doesNotContain("Promoted");
    assertThat(releases.replicasByRevision(WEB)).containsValue(0);
    assertThat(undone.getStatus().getPhase()).isEqualTo(MigrationPhase.RolledBack);
    assertThat(undone.getStatus().getFailureReason()).isEqualTo("WorkerFailed");
    assertThat(harness.jobs()).extracting(j -> j.getMetadata().getName()).doesNotContain(NAME + "-full-load");
    assertThat(targetChecksum()).isEqualTo(before);
  }

  @Test
  @DisplayName("given the pilot verified and the migration's full stage waiting for web, when web is aborted, then the migration aborts too (LinkedReleaseRolledBack): the pilot is undone and the target is as before")
  void releaseRollbackAbortsTheMigration() throws Exception {
    OperatorHarness releases = applyTogether(true);
    releases.awaitPause(WEB, "AwaitingApproval", WAIT);
    harness.awaitPause(NAME, "WaitingForGate", WAIT);

    releases.annotate(WEB, "abort");

    Release rolledBack = releases.awaitPhase(WEB, ReleasePhase.RolledBack, WAIT);
    DataMigration aborted = harness.awaitStatus(NAME, m -> terminal(m.getStatus().getPhase()), WAIT);
    assertThat(rolledBack.getStatus().getRolledBackAt()).isNotNull();
    assertThat(aborted.getStatus().getPhase()).isEqualTo(MigrationPhase.RolledBack);
    assertThat(aborted.getStatus().getFailureReason()).isEqualTo("LinkedReleaseRolledBack");
    assertThat(aborted.getStatus().getRollback().getMessage()).startsWith("linked Release/web RolledBack");
    assertThat(harness.jobs()).extracting(j -> j.getMetadata().getName())
        .contains(NAME + "-pilot-undo").doesNotContain(NAME + "-full-load");
    assertThat(targetChecksum()).isEqualTo(before);
  }
}
