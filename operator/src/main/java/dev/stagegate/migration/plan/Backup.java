package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;

/** The optional backup Job that must succeed before the first stage writes anything. */
final class Backup {
  private Backup() {
  }

  static boolean done(MigrationDraft d) {
    JobRun backup = d.next.getBackup();
    if (backup == null) {
      start(d, 1);
      return false;
    } else {
      switch (backup.getState()) {
        case Succeeded:
          return true;
        case Running:
          d.next.setPhase(MigrationPhase.BackingUp);
          d.next.setMessage("backup Job " + backup.getName() + " running");
          switch (JobTracking.track(d, backup, JobKind.BACKUP, -1)) {
            case SUCCEEDED:
              d.note(Note.normal(MigrationReasons.Event.BackupCompleted, "backup Job " + backup.getName() + " succeeded"));
              return true;
            case FAILED:
            case LOST:
              Undo.fail(d, MigrationReasons.Cause.BackupFailed, "backup Job " + backup.getName() + " failed: " + backup.getMessage());
            default:
              return false;
          }
        default:
          return false;
      }
    }
  }

  static void start(MigrationDraft d, int attempt) {
    String name = JobNames.backup(d.migration.getMetadata().getName(), attempt);
    d.next.setBackup(new JobRun(name, attempt, Timestamps.format(d.now)));
    d.job(new JobChange.Create(JobKind.BACKUP, -1, name));
    d.next.setPhase(MigrationPhase.BackingUp);
    d.next.setMessage("backup Job " + name + " running");
    d.note(Note.normal(MigrationReasons.Event.BackupStarted, "backup Job " + name + " created before the first write"));
  }
}
