package dev.stagegate.release.plan;

import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import java.util.ArrayList;
import java.util.List;

/** A failed canary: scaled to zero with the stable revision at full size, or held (onFailure: Pause). */
final class Rollback {
  private Rollback() {
  }

  static void fail(ReleaseDraft d, ReleaseReasons.Event reason, String message) {
    if (d.spec.failurePolicy() == FailurePolicy.Pause) {
      d.pauseDetail = message;
      if (!d.pausedFor(ReleaseReasons.Pause.CheckFailed)) {
        d.pause(ReleaseReasons.Pause.CheckFailed);
        d.note(Note.warning(reason, message + "; paused (onFailure: Pause): use the `resume`, `retry` or `abort` action"));
      }

      d.sizeFor(d.stageOf(d.next.getCurrentStage()));
    } else {
      rollback(d, reason, message);
    }
  }

  static void rollback(ReleaseDraft d, ReleaseReasons.Event reason, String message) {
    String failed = d.next.getCanaryRevision();
    List<CheckStatus> evidence = d.next.getChecks();
    Revisions.endCanary(d);
    d.next.setChecks((List<CheckStatus>)(evidence == null ? new ArrayList<>() : evidence));
    d.next.setFailedRevision(failed);
    d.next.setPhase(ReleasePhase.RolledBack);
    d.next.setRolledBackAt(Timestamps.precise(d.now));
    d.next.setMessage("rolled back " + failed + ": " + message);
    d.scale(d.next.getStableRevision(), d.full());
    d.scale(failed, 0);
    d.note(Note.warning(ReleaseReasons.Event.RolledBack, "rolled back canary " + failed + " (" + reason.name() + "): " + message));
  }
}
