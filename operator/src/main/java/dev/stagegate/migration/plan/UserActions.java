package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageState;

/** Applies a `stagegate.dev/action` (approve, resume, retry-stage, abort) to a DataMigration. */
final class UserActions {
  private UserActions() {
  }

  static void apply(MigrationDraft d) {
    MigrationAction action = d.action.pending();
    if (action != null) {
      String pause = d.next.getPauseReason();
      switch (action) {
        case APPROVE:
          if (d.pausedFor(MigrationReasons.Cause.AwaitingApproval)) {
            d.action.consume("approve");
            d.currentStage().ifPresent(s -> s.setApproved(true));
            d.next.setPauseReason(null);
          }
          break;
        case RESUME:
          if (d.pausedFor(MigrationReasons.Cause.VerifyFailed)) {
            d.action.consume("resume");
            d.next.getVerify().forEach(v -> v.setConsecutiveFailures(0));
            d.currentStage().ifPresent(s -> {
              s.setState(StageState.Loaded);
              s.setMessage(null);
            });
            d.resume("resumed by `stagegate.dev/action: resume`: evaluating the checks again");
            d.next.setFailureReason(null);
          }
          break;
        case RETRY_STAGE:
          if (d.pausedFor(MigrationReasons.Cause.BackupFailed)) {
            d.action.consume("retry-stage");
            d.resume("retrying the backup");
            d.next.setFailureReason(null);
            Backup.start(d, d.next.getBackup().attemptOrOne() + 1);
          } else if (d.pausedFor(MigrationReasons.Cause.WorkerFailed) || d.pausedFor(MigrationReasons.Cause.VerifyFailed)) {
            d.action.consume("retry-stage");
            d.currentStage().ifPresent(s -> {
              s.setRetrying(true);
              s.setMessage("undoing the stage before loading it again (retry-stage)");
            });
            d.resume("retry-stage: undoing stage " + d.next.getCurrentStage() + ", then loading it again");
            d.next.setFailureReason(null);
          }
      }

      d.action
        .ignore(
          pause == null
            ? "in phase " + d.next.getPhase()
            : "while paused for "
              + pause
              + (
                MigrationReasons.Cause.WorkerFailed.name().equals(pause) && action == MigrationAction.RESUME
                  ? "; a failed Job cannot be resumed: use retry-stage or abort"
                  : ""
              )
        );
    }
  }
}
