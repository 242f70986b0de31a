package dev.stagegate.migration.plan;

import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.RollbackStatus;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.common.Note;
import dev.stagegate.common.Numbers;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rolls back: undoes every loaded stage newest first, then verifies that the target holds nothing over
 * the undone keys.
 */
final class Undo {
  private Undo() {
  }

  static void fail(MigrationDraft d, MigrationReasons.Cause reason, String message) {
    if (d.spec.failurePolicy() == FailurePolicy.Pause) {
      if (!d.pausedFor(reason)) {
        d.note(
          Note.warning(
            reason,
            message
              + "; paused (onFailure: Pause): annotate `stagegate.dev/action` with "
              + (reason == MigrationReasons.Cause.VerifyFailed ? "resume, " : "")
              + "retry-stage or abort"
          )
        );
      }

      d.next.setPauseReason(reason.name());
      d.next.setFailureReason(reason.name());
      d.next.setMessage(message);
      d.next.setPhase(MigrationPhase.Paused);
    } else {
      startRollback(d, reason, message);
    }
  }

  static void startRollback(MigrationDraft d, MigrationReasons.Cause reason, String message) {
    List<Integer> toUndo = MigrationState.stagesToUndo(d.next);
    d.next.setPauseReason(null);
    if (toUndo.isEmpty()) {
      d.terminalFailure(reason, message + "; nothing was written", true);
    } else {
      String names = String.join(", ", toUndo.stream().map(i -> d.next.getStages().get(i).getName()).toList());
      if (d.spec.getUndo() == null) {
        d.terminalFailure(reason, message + "; no spec.undo to roll back with: stages " + names + " stay loaded", true);
      } else {
        d.next.setFailureReason(reason.name());
        d.next.setRollback(new RollbackStatus(reason.name(), message, Timestamps.format(d.now)));
        d.note(
          Note.warning(MigrationReasons.Event.RollingBack, "rolling back (" + reason + "): " + message + "; undoing stages " + names + ", newest first")
        );
        step(d);
      }
    }
  }

  static void step(MigrationDraft d) {
    d.next.setPhase(MigrationPhase.RollingBack);
    d.action.ignore("while rolling back");

    for (int index : MigrationState.stagesToUndo(d.next)) {
      StageProgress stage = d.next.getStages().get(index);
      d.next.setCurrentStage(stage.getName());
      switch (undoStage(d, index, stage)) {
        case SUCCEEDED:
          break;
        case FAILED:
          undoFailed(d, stage);
          return;
        default:
          return;
      }
    }

    verify(d);
  }

  static void undoFailed(MigrationDraft d, StageProgress stage) {
    d.terminalFailure(
      MigrationReasons.Cause.UndoFailed,
      "undo Job "
        + stage.getUndo().getName()
        + " of stage "
        + stage.getName()
        + " failed: "
        + stage.getUndo().getMessage()
        + "; the target may still hold keys "
        + KeySpan.of(stage)
        + ": fix it and annotate `stagegate.dev/action: retry-stage`",
      true
    );
  }

  static JobTracking.Tracked undoStage(MigrationDraft d, int index, StageProgress stage) {
    JobRun worker = stage.getJob();
    if (worker.getState() == JobState.Running) {
      ObservedJob seen = d.obs.jobs().get(worker.getName());
      if (seen != null && !seen.finished()) {
        d.job(new JobChange.Delete(worker.getName()));
        d.next.setMessage("stopping worker Job " + worker.getName() + " of stage " + stage.getName() + " before undoing it");
        d.wakeAt(d.now.plus(Duration.ofSeconds(1L)));
        return JobTracking.Tracked.WAITING;
      }

      if (seen != null) {
        // The Job existed: keep its uid, or a Failed run without one reads as "never created" and is not undone
        // (found by MigrationPlannerPropertyTest: abort in the turn a retried loader failed threw on every turn).
        if (worker.getUid() == null) {
          worker.setUid(seen.uid());
        }
        worker.setState(seen.state());
        worker.setMessage(seen.message());
      } else {
        worker.setState(JobState.Cancelled);
      }

      worker.setFinishedAt(Timestamps.format(d.now));
    }

    JobRun undo = stage.getUndo();
    String keys = " (keys " + KeySpan.of(stage) + ")";
    if (undo == null) {
      int run = stage.undoRunCount() + 1;
      String name = JobNames.stage(d.migration.getMetadata().getName(), stage.getName(), JobKind.UNDO, run);
      stage.setUndoRuns(run);
      stage.setUndo(new JobRun(name, run, Timestamps.format(d.now)));
      d.job(new JobChange.Create(JobKind.UNDO, index, name));
      d.next.setMessage("undoing stage " + stage.getName() + keys + " with Job " + name);
      d.note(Note.normal(MigrationReasons.Event.UndoStarted, d.next.getMessage()));
      return JobTracking.Tracked.WAITING;
    } else if (undo.getState() == JobState.Succeeded) {
      return JobTracking.Tracked.SUCCEEDED;
    } else if (undo.getState() == JobState.Failed) {
      return JobTracking.Tracked.FAILED;
    } else {
      d.next.setMessage("undoing stage " + stage.getName() + keys + " with Job " + undo.getName());
      JobTracking.Tracked tracked = JobTracking.track(d, undo, JobKind.UNDO, index);
      if (tracked == JobTracking.Tracked.SUCCEEDED) {
        stage.setState(StageState.Undone);
        stage.setUndoneAt(Timestamps.format(d.now));
        d.next.setRowsMigrated(d.loadedRows());
        d.note(Note.normal(MigrationReasons.Event.StageUndone, "stage " + stage.getName() + " undone by Job " + undo.getName() + keys));
      }

      return tracked == JobTracking.Tracked.LOST ? JobTracking.Tracked.FAILED : tracked;
    }
  }

  private static void verify(MigrationDraft d) {
    RollbackStatus rollback = d.next.getRollback();
    KeySpan range = MigrationState.undoneRange(d.next).orElseThrow();
    String keys = range.describe();
    List<VerifyCheck> compares = d.spec.verifyOrEmpty().stream().filter(c -> c.getCompare() != null).toList();
    List<VerifyStatus> entries = new ArrayList<>();

    for (VerifyCheck check : compares) {
      VerifyStatus vs = MigrationState.find(rollback.getChecks(), check.getName());
      if (vs == null || !range.describes(vs)) {
        vs = range.newStatus(check.getName(), "rollback");
      }

      VerifyOutcome outcome = d.obs.rollbackVerify().get(check.getName());
      if (outcome != null && !vs.hasPassed()) {
        Verify.record(d, vs, outcome);
      }

      entries.add(vs);
    }

    rollback.setChecks(entries);
    d.next.setCurrentStage(null);

    for (VerifyStatus vsx : entries) {
      if (vsx.failures() > 0) {
        rollback.setFinishedAt(Timestamps.format(d.now));
        d.terminalFailure(
          MigrationReasons.Cause.RollbackVerifyFailed,
          "every stage was undone but check " + vsx.getName() + " still finds rows in the target over keys " + keys + ": " + vsx.getMessage(),
          true
        );
        return;
      }
    }

    if (!Verify.evidencePause(d, entries, compares)) {
      if (entries.stream().allMatch(VerifyStatus::hasPassed)) {
        rollback.setFinishedAt(Timestamps.format(d.now));
        d.next.setPhase(MigrationPhase.RolledBack);
        d.next.setPauseReason(null);
        // Without a compare check only the undo Jobs' exit codes say the target is clean: the status says
        // so (verified: false, reason RolledBackUnverified) instead of claiming what nobody checked.
        rollback.setVerified(!entries.isEmpty());
        String prefix = "rolled back (" + rollback.getReason() + ": " + rollback.getMessage() + "); ";
        if (entries.isEmpty()) {
          d.next.setMessage(prefix + "every undo Job succeeded, but UNVERIFIED: no compare check proves that the target holds no row"
              + " over keys " + keys + "; check the target yourself or add a verify check with a compare");
          d.note(Note.warning(MigrationReasons.Event.RolledBackUnverified, d.next.getMessage()));
        } else {
          d.next.setMessage(prefix + "the target holds no row over keys " + keys + " again");
          d.note(Note.warning(MigrationReasons.Event.RolledBack, d.next.getMessage()));
        }
      } else {
        d.next.setMessage("every loaded stage was undone; checking that the target holds no row over keys " + keys);
        Verify.schedule(d, entries, compares);
      }
    }
  }
}
