package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Note;

/** Completes a stage and, after the last one, makes the canary the stable revision. */
final class Promotion {
  private Promotion() {
  }

  static void completeStage(ReleaseDraft d, String message) {
    StageStatus current = d.next.getCurrentStage();
    d.note(Note.normal(ReleaseReasons.Event.StageCompleted, message));
    d.next.setPauseReason(null);
    int following = current.getIndex() + 1;
    if (following < d.spec.getStages().size()) {
      CanaryProgress.enterStage(d, following);
      Stage stage = d.spec.getStages().get(following);
      d.sizeFor(stage);
      d.next.setRequestedWeight(stage.getWeight());
      d.wakeAt(d.now);
    } else {
      promote(d);
    }
  }

  static void promote(ReleaseDraft d) {
    String promoted = d.next.getCanaryRevision();
    String previous = d.next.getStableRevision();
    Revisions.endCanary(d);
    d.next.setStableRevision(promoted);
    d.scale(promoted, d.full());
    if (!previous.equals(promoted)) {
      d.scale(previous, d.obs.ready(promoted) >= d.full() ? 0 : d.full());
    }

    d.next.setPhase(ReleasePhase.Promoted);
    d.note(Note.normal(ReleaseReasons.Event.Promoted, "revision " + promoted + " is stable; " + previous + " scales down"));
    d.wakeAt(d.now);
  }
}
