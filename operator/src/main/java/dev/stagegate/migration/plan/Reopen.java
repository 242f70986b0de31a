package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.common.Note;
import java.util.ArrayList;

/**
 * A changed spec or a retried run reopens a finished or failed migration, and an invalid spec stops it
 * without touching anything.
 */
final class Reopen {
  private Reopen() {
  }

  static boolean reopen(MigrationDraft d) {
    boolean generationChanged = d.previousGeneration != null && d.previousGeneration != d.obs.generation();
    boolean retry = d.action.pending() == MigrationAction.RETRY_STAGE;
    if (!nothingWritten(d) || !generationChanged && !retry) {
      if (MigrationReasons.Cause.UndoFailed.name().equals(d.next.getFailureReason()) && retry) {
        d.action.consume("retry-stage");
        d.next.setFailureReason(null);
        d.next.setPhase(MigrationPhase.RollingBack);

        for (StageProgress s : d.next.getStages()) {
          if (s.getUndo() != null && s.getUndo().getState() == JobState.Failed) {
            s.setUndo(null);
          }
        }

        d.note(Note.normal(MigrationReasons.Event.Retrying, "running the failed undo again"));
        return true;
      } else {
        return false;
      }
    } else {
      if (retry) {
        d.action.consume("retry-stage");
      }

      d.note(
        Note.normal(
          MigrationReasons.Event.Restarted, generationChanged ? "the spec changed; checking again from the start" : "starting again from the guards"
        )
      );
      reset(d);
      return true;
    }
  }

  static void invalid(MigrationDraft d, String message) {
    if (nothingWritten(d)) {
      boolean changed = d.next.getPhase() != MigrationPhase.Failed || !message.equals(d.next.getMessage());
      d.terminalFailure(MigrationReasons.Cause.InvalidSpec, message, changed);
    } else {
      d.pause(MigrationReasons.Cause.InvalidSpec, message + "; holding the loaded stages as they are until the spec is fixed");
    }
  }

  private static boolean nothingWritten(MigrationDraft d) {
    return d.next.getStages().stream().allMatch(s -> s.getJob() == null || MigrationState.neverCreated(s.getJob()));
  }

  private static void reset(MigrationDraft d) {
    DataMigrationStatus next = d.next;
    next.setPhase(MigrationPhase.Pending);
    next.setPauseReason(null);
    next.setFailureReason(null);
    next.setMessage(null);
    next.setGuards(new ArrayList<>());
    next.setStages(new ArrayList<>());
    next.setVerify(new ArrayList<>());
    next.setBackup(null);
    next.setRollback(null);
    next.setRowsTotal(null);
    next.setRowsMigrated(null);
    next.setRunId(null);
    next.setPartition(null);
    next.setCurrentStage(null);
    next.setLastPreflightAt(null);
  }
}
