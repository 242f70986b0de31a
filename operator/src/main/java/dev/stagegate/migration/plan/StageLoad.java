package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.common.Note;
import dev.stagegate.common.Numbers;
import dev.stagegate.common.Timestamps;
import java.util.ArrayList;
import java.util.List;

/** Runs the stages in key order: one load Job per stage, then its verification, then the next stage. */
final class StageLoad {
  private StageLoad() {
  }

  static void progress(MigrationDraft d) {
    if (d.spec.getBackup() == null || Backup.done(d)) {
      step(d);
    }
  }

  static void step(MigrationDraft d) {
    List<StageProgress> stages = d.next.getStages();
    int index = MigrationState.firstUnverified(d.next);
    int previous = index < 0 ? stages.size() - 1 : index - 1;
    if (previous >= 0 && d.spec.getStages().get(previous).needsApproval() && !stages.get(previous).isApproved()) {
      awaitApproval(d, stages.get(previous));
    } else if (index < 0) {
      succeed(d);
    } else {
      StageProgress stage = stages.get(index);
      d.next.setCurrentStage(stage.getName());
      if (stage.isRetrying()) {
        retry(d, index, stage);
      } else {
        switch (stage.getState()) {
          case Pending:
          case Undone:
            if (!GateWait.holds(d, index)) {
              start(d, index, 1);
            }
            break;
          case Running:
            load(d, index, stage);
            break;
          case Loaded:
            Verify.step(d, index, stage);
            break;
          case Failed:
            d.next.setPhase(MigrationPhase.Paused);
        }
      }
    }
  }

  private static void start(MigrationDraft d, int index, int attempt) {
    StageProgress stage = d.next.getStages().get(index);
    String name = JobNames.stage(d.migration.getMetadata().getName(), stage.getName(), JobKind.LOAD, attempt);
    stage.setState(StageState.Running);
    stage.setStartedAt(Timestamps.format(d.now));
    stage.setJob(new JobRun(name, attempt, Timestamps.format(d.now)));
    d.job(new JobChange.Create(JobKind.LOAD, index, name));
    d.next.setPhase(MigrationPhase.Migrating);
    d.next.setCurrentStage(stage.getName());
    d.next.setMessage(loading(d, index, stage, name));
    d.note(Note.normal(MigrationReasons.Event.StageStarted, d.next.getMessage()));
  }

  private static void load(MigrationDraft d, int index, StageProgress stage) {
    JobRun job = stage.getJob();
    d.next.setPhase(MigrationPhase.Migrating);
    d.next.setMessage(loading(d, index, stage, job.getName()));
    switch (JobTracking.track(d, job, JobKind.LOAD, index)) {
      case SUCCEEDED:
        stage.setState(StageState.Loaded);
        stage.setLoadedAt(Timestamps.format(d.now));
        d.next.setRowsMigrated(d.loadedRows());
        d.note(
          Note.normal(
            MigrationReasons.Event.StageLoaded,
            d.stageLabel(index) + ": Job " + job.getName() + " loaded keys " + KeySpan.of(stage)
          )
        );
        Verify.step(d, index, stage);
        break;
      case FAILED:
      case LOST:
        stage.setState(StageState.Failed);
        stage.setMessage("Job " + job.getName() + " failed: " + job.getMessage());
        Undo.fail(d, MigrationReasons.Cause.WorkerFailed, d.stageLabel(index) + ": worker Job " + job.getName() + " failed: " + job.getMessage());
    }
  }

  private static String loading(MigrationDraft d, int index, StageProgress stage, String job) {
    return d.stageLabel(index) + ": Job " + job + " loads keys " + KeySpan.of(stage) + " (" + stage.getRows() + " rows)";
  }

  private static void retry(MigrationDraft d, int index, StageProgress stage) {
    d.next.setPhase(MigrationPhase.Migrating);
    if (stage.getJob() != null && !MigrationState.neverCreated(stage.getJob())) {
      switch (Undo.undoStage(d, index, stage)) {
        case SUCCEEDED:
          int attempt = stage.getJob().attemptOrOne() + 1;
          stage.setRetrying(null);
          stage.setUndo(null);
          stage.setLoadedAt(null);
          stage.setMessage(null);
          d.next.setVerify(new ArrayList<>());
          d.next.setRowsMigrated(d.loadedRows());
          start(d, index, attempt);
          break;
        case FAILED:
          Undo.undoFailed(d, stage);
      }
    } else {
      int attempt = stage.getJob() == null ? 1 : stage.getJob().attemptOrOne() + 1;
      stage.setRetrying(null);
      stage.setMessage(null);
      start(d, index, attempt);
    }
  }

  private static void awaitApproval(MigrationDraft d, StageProgress stage) {
    d.next.setCurrentStage(stage.getName());
    if (!d.pausedFor(MigrationReasons.Cause.AwaitingApproval)) {
      d.note(Note.normal(MigrationReasons.Event.AwaitingApproval, "stage " + stage.getName() + " is verified and waits for `stagegate.dev/action: approve`"));
    }

    d.next.setPauseReason(MigrationReasons.Cause.AwaitingApproval.name());
    d.next.setMessage("stage " + stage.getName() + " is verified; waiting for `stagegate.dev/action: approve`");
  }

  private static void succeed(MigrationDraft d) {
    DataMigrationStatus next = d.next;
    next.setPhase(MigrationPhase.Succeeded);
    next.setPauseReason(null);
    next.setCurrentStage(null);
    next.setRowsMigrated(d.loadedRows());
    StageProgress last = next.getStages().get(next.getStages().size() - 1);
    next.setMessage(
      next.getRowsMigrated()
        + " rows migrated in "
        + next.getStages().size()
        + " stages over keys "
        + KeySpan.over(next.getStages().get(0), last)
        + (next.getVerify().isEmpty() ? "" : "; final verification: " + MigrationDraft.summary(next.getVerify()))
    );
    d.note(Note.normal(MigrationReasons.Event.Succeeded, next.getMessage()));
  }
}
