package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which notifiable transitions a DataMigration makes from its committed status to the planned one (pure). */
public final class MigrationTransitions {
  private MigrationTransitions() {}

  public static List<Transition> between(DataMigrationStatus before, DataMigrationStatus after) {
    DataMigrationStatus was = before == null ? new DataMigrationStatus() : before;
    List<Transition> seen = new ArrayList<>();
    // Undo also names the stage it undoes; only loading stages count as stages started and passed.
    boolean loading = after.getPhase() == MigrationPhase.Migrating || after.getPhase() == MigrationPhase.Verifying
        || after.getPhase() == MigrationPhase.Succeeded;
    boolean wasLoading = was.getPhase() == MigrationPhase.Migrating || was.getPhase() == MigrationPhase.Verifying
        || was.getPhase() == MigrationPhase.Paused;
    String stageWas = was.getCurrentStage();
    String stageNow = after.getCurrentStage();
    if (loading && !Objects.equals(stageWas, stageNow)) {
      if (stageWas != null && wasLoading) {
        seen.add(of(NotifyTransition.StagePassed, after, stageWas));
      }
      if (stageNow != null) {
        seen.add(of(NotifyTransition.StageStarted, after, stageNow));
      }
    }
    boolean phaseChanged = after.getPhase() != was.getPhase();
    boolean heldForAnotherReason = after.getPhase() == MigrationPhase.Paused
        && !Objects.equals(after.getPauseReason(), was.getPauseReason());
    if (phaseChanged || heldForAnotherReason) {
      NotifyTransition kind = after.getPhase() == null ? null : switch (after.getPhase()) {
        case Paused -> NotifyTransition.Paused;
        case RolledBack -> NotifyTransition.RolledBack;
        case Succeeded -> NotifyTransition.Succeeded;
        case Failed -> NotifyTransition.Failed;
        default -> null;
      };
      if (kind != null) {
        seen.add(of(kind, after, stageNow != null ? stageNow : stageWas));
      }
    }
    return seen;
  }

  private static Transition of(NotifyTransition kind, DataMigrationStatus after, String stage) {
    String reason = switch (kind) {
      case Paused -> after.getPauseReason() != null ? after.getPauseReason() : kind.name();
      case Failed, RolledBack -> after.getFailureReason() != null ? after.getFailureReason() : kind.name();
      default -> kind.name();
    };
    return new Transition(kind, null, stage, null, reason, after.getMessage(), List.of());
  }
}
