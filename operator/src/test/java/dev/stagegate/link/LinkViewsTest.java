package dev.stagegate.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.common.LinkPolicy;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.RollbackStatus;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.api.migration.DataMigrationSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How each side reads the other's status: stages done, whether the status is current, when it failed. */
class LinkViewsTest {
  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

  private static DataMigration migration(long generation, Long observed, MigrationPhase phase, StageState... states) {
    DataMigration m = new DataMigration();
    m.getMetadata().setName("members-2025");
    m.getMetadata().setGeneration(generation);
    m.setSpec(new DataMigrationSpec());
    DataMigrationStatus s = new DataMigrationStatus();
    s.setObservedGeneration(observed);
    s.setPhase(phase);
    for (StageState state : states) {
      StageProgress p = new StageProgress();
      p.setState(state);
      s.getStages().add(p);
    }
    m.setStatus(s);
    return m;
  }

  private static Release release(ReleasePhase phase, String canary, Integer stage) {
    Release r = new Release();
    r.getMetadata().setName("web");
    r.getMetadata().setGeneration(3L);
    r.setSpec(new ReleaseSpec());
    ReleaseStatus s = new ReleaseStatus();
    s.setObservedGeneration(3L);
    s.setPhase(phase);
    s.setCanaryRevision(canary);
    if (stage != null) {
      s.setCurrentStage(new StageStatus(stage, "s" + stage, null));
    }
    r.setStatus(s);
    return r;
  }

  @Test
  @DisplayName("given a migration with its first two stages verified, then stage 1 is reached and stage 2 is not; once its status lags its spec, nothing is reached")
  void migrationStagesDoneAndCurrent() {
    LinkView view = LinkViews.ofMigration(migration(2, 2L, MigrationPhase.Migrating,
        StageState.Verified, StageState.Verified, StageState.Running), LinkPolicy.RollBackBoth);
    assertThat(view.stagesDone()).isEqualTo(2);
    assertThat(view.reached(new GateUntil(1, null))).isTrue();
    assertThat(view.reached(new GateUntil(2, null))).isFalse();
    assertThat(view.reached(new GateUntil(null, "Succeeded"))).isFalse();

    LinkView stale = LinkViews.ofMigration(migration(3, 2L, MigrationPhase.Succeeded, StageState.Verified),
        LinkPolicy.RollBackBoth);
    assertThat(stale.current()).isFalse();
    assertThat(stale.reached(new GateUntil(null, "Succeeded"))).isFalse();
    assertThat(stale.waitingFor(new GateUntil(null, "Succeeded"))).contains("does not describe its current spec yet");
  }

  @Test
  @DisplayName("given a migration rolling back, then it failed when its rollback started, and the message says why")
  void migrationFailure() {
    DataMigration m = migration(1, 1L, MigrationPhase.RollingBack, StageState.Failed);
    m.getStatus().setFailureReason("WorkerFailed");
    m.getStatus().setRollback(new RollbackStatus("WorkerFailed", "boom", "2026-03-01T10:00:00Z"));
    LinkView view = LinkViews.ofMigration(m, LinkPolicy.RollBackBoth);
    assertThat(view.failedAt()).isEqualTo(AT);
    assertThat(view.failure()).startsWith("RollingBack (WorkerFailed)");
  }

  @Test
  @DisplayName("given a Release at its stage index 1, then its stage 0 is done; promoted, every stage is; rolled back, it failed at rolledBackAt")
  void releaseStagesAndFailure() {
    assertThat(LinkViews.ofRelease(release(ReleasePhase.Progressing, "abc", 1), LinkPolicy.RollBackBoth)
        .reached(new GateUntil(0, null))).isTrue();
    assertThat(LinkViews.ofRelease(release(ReleasePhase.Progressing, "abc", 1), LinkPolicy.RollBackBoth)
        .reached(new GateUntil(1, null))).isFalse();
    LinkView promoted = LinkViews.ofRelease(release(ReleasePhase.Promoted, null, null), LinkPolicy.RollBackBoth);
    assertThat(promoted.reached(new GateUntil(null, "Promoted"))).isTrue();
    assertThat(promoted.reached(new GateUntil(5, null))).isTrue();

    Release rolledBack = release(ReleasePhase.RolledBack, null, null);
    rolledBack.getStatus().setRolledBackAt("2026-03-01T10:00:00Z");
    assertThat(LinkViews.ofRelease(rolledBack, LinkPolicy.RollBackBoth).failedAt()).isEqualTo(AT);
  }

  @Test
  @DisplayName("given gates on both sides, then the pair is Independent only when every gate says so, and a missing resource is a view that exists=false")
  void pairPolicyAndMissing() {
    Release web = release(ReleasePhase.Progressing, "abc", 0);
    ReleaseGate independent = new ReleaseGate(1, "members-2025", new GateUntil(0, null));
    independent.setOnFailure(LinkPolicy.Independent);
    web.getSpec().setGates(new ArrayList<>(List.of(independent)));
    DataMigration m = migration(1, 1L, MigrationPhase.Migrating);
    assertThat(LinkViews.forRelease(web, List.of(m))).extracting(LinkView::policy).containsExactly(LinkPolicy.Independent);

    m.getSpec().setGates(new ArrayList<>(List.of(new MigrationGate(0, "web", new GateUntil(null, "Promoted")))));
    assertThat(LinkViews.forRelease(web, List.of(m))).extracting(LinkView::policy).containsExactly(LinkPolicy.RollBackBoth);
    assertThat(LinkViews.forMigration(m, List.of(web))).extracting(LinkView::policy).containsExactly(LinkPolicy.RollBackBoth);

    assertThat(LinkViews.forRelease(web, List.of())).singleElement()
        .satisfies(v -> assertThat(v.exists()).isFalse())
        .satisfies(v -> assertThat(v.waitingFor(new GateUntil(0, null))).endsWith("(not found yet)"));
  }
}
