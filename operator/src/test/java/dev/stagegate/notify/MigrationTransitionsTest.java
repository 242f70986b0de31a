package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MigrationTransitionsTest {
  private static DataMigrationStatus status(MigrationPhase phase, String stage) {
    DataMigrationStatus s = new DataMigrationStatus();
    s.setPhase(phase);
    s.setCurrentStage(stage);
    return s;
  }

  private static List<String> between(DataMigrationStatus before, DataMigrationStatus after) {
    return MigrationTransitions.between(before, after).stream()
        .map(t -> t.kind() + (t.stage() == null ? "" : " " + t.stage())).toList();
  }

  @Test
  @DisplayName("given a migration moving from its backup into stage a, then to stage b, then succeeding, then it notifies each stage started and passed and the success")
  void stagesAndSuccess() {
    assertThat(between(status(MigrationPhase.BackingUp, null), status(MigrationPhase.Migrating, "a")))
        .containsExactly("StageStarted a");
    assertThat(between(status(MigrationPhase.Migrating, "a"), status(MigrationPhase.Verifying, "a"))).isEmpty();
    assertThat(between(status(MigrationPhase.Verifying, "a"), status(MigrationPhase.Migrating, "b")))
        .containsExactly("StagePassed a", "StageStarted b");
    assertThat(between(status(MigrationPhase.Verifying, "b"), status(MigrationPhase.Succeeded, null)))
        .containsExactly("StagePassed b", "Succeeded b");
  }

  @Test
  @DisplayName("given a failed verify that rolls back, then undoing stages is not a stage started, and the rollback and its reason are notified once")
  void rollbackIsNotAStage() {
    DataMigrationStatus undoing = status(MigrationPhase.RollingBack, "b");
    assertThat(between(status(MigrationPhase.Verifying, "b"), undoing)).isEmpty();
    assertThat(between(undoing, status(MigrationPhase.RollingBack, "a"))).isEmpty();
    DataMigrationStatus rolledBack = status(MigrationPhase.RolledBack, null);
    rolledBack.setFailureReason("VerifyFailed");
    assertThat(MigrationTransitions.between(status(MigrationPhase.RollingBack, "a"), rolledBack))
        .singleElement().satisfies(t -> assertThat(t.reason()).isEqualTo("VerifyFailed"));
    assertThat(between(rolledBack, rolledBack)).isEmpty();
  }

  @Test
  @DisplayName("given a migration awaiting approval, then Paused is notified once, and again only for another pause reason")
  void pausedOncePerReason() {
    DataMigrationStatus waiting = status(MigrationPhase.Paused, "b");
    waiting.setPauseReason("AwaitingApproval");
    assertThat(between(status(MigrationPhase.Verifying, "b"), waiting)).containsExactly("Paused b");
    assertThat(between(waiting, waiting)).isEmpty();
    DataMigrationStatus unreachable = status(MigrationPhase.Paused, "b");
    unreachable.setPauseReason("DatabaseUnreachable");
    assertThat(between(waiting, unreachable)).containsExactly("Paused b");
  }
}
