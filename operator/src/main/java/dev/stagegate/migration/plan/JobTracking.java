package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.common.Timestamps;

/** Follows one Job the status holds as running: created, succeeded, failed, or gone. */
final class JobTracking {
  private JobTracking() {
  }

  static Tracked track(MigrationDraft d, JobRun run, JobKind kind, int stage) {
    ObservedJob seen = d.obs.jobs().get(run.getName());
    if (seen == null) {
      if (run.getUid() == null) {
        d.job(new JobChange.Create(kind, stage, run.getName()));
        d.waitForWork();
        return Tracked.WAITING;
      } else {
        finish(d, run, JobState.Failed, "the Job disappeared before it finished; it is not started again");
        return Tracked.LOST;
      }
    } else {
      if (run.getUid() == null) {
        run.setUid(seen.uid());
      } else if (!run.getUid().equals(seen.uid())) {
        finish(d, run, JobState.Failed, "the Job was replaced by another of the same name (uid " + seen.uid() + "); it is not trusted");
        return Tracked.LOST;
      }

      switch (seen.state()) {
        case Succeeded:
          finish(d, run, JobState.Succeeded, seen.message());
          return Tracked.SUCCEEDED;
        case Failed:
          finish(d, run, JobState.Failed, seen.message());
          return Tracked.FAILED;
        default:
          d.wakeAt(d.now.plus(MigrationDraft.MAX_REQUEUE));
          return Tracked.WAITING;
      }
    }
  }

  private static void finish(MigrationDraft d, JobRun run, JobState state, String message) {
    run.setState(state);
    run.setFinishedAt(Timestamps.format(d.now));
    run.setMessage(message);
  }

  enum Tracked {
    WAITING,
    SUCCEEDED,
    FAILED,
    LOST;
  }
}
