package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;

/**
 * The stable revision's Deployment was deleted by hand while spec.template holds another revision, so it cannot
 * be re-created (its template is known nowhere else). Neither automatic way out is safe: scaling the canary to 0
 * leaves no pod serving, promoting it skips the evidence. So nothing is scaled, judged or promoted; the status
 * says what happened and the three ways out: set spec.template back (stable is re-created, the canary goes), the
 * `promote-full` action (the canary becomes stable), or `abort` (the canary goes to 0 and nothing serves).
 * Before, every reconcile threw while re-creating stable, before the canary was scaled down.
 */
final class StableGone {
  private StableGone() {
  }

  static boolean applies(ReleaseDraft d) {
    String stable = d.next.getStableRevision();
    return stable != null && !stable.equals(d.obs.templateRevision()) && !d.obs.deployments().containsKey(stable);
  }

  /** Decides the turn, or returns false when the normal steps can take over (promote-full, a new template). */
  static boolean hold(ReleaseDraft d) {
    String stable = d.next.getStableRevision();
    String canary = d.next.getCanaryRevision();
    String deployment = d.release.getMetadata().getName() + "-" + stable;
    String gone = "the stable Deployment " + deployment + " (revision " + stable + ") was deleted and spec.template no"
        + " longer holds its template, so it cannot be re-created";
    if (canary == null) {
      if (!d.obs.templateRevision().equals(d.next.getFailedRevision())) {
        // A new template while no revision runs: deploying it is what was asked, with nothing to compare against.
        d.next.setStableRevision(null);
        return false;
      }
      String message = gone + "; no pod of this Release runs. Apply a template to deploy it";
      d.next.setPhase(ReleasePhase.RolledBack);
      d.next.setMessage(message);
      d.next.setConditions(Conditions.stalled(ReleaseReasons.Event.StableMissing.name(), message)
          .after(d.next.getConditions(), d.obs.generation(), d.now));
      d.action.ignore("while the stable Deployment is missing");
      return true;
    }
    UserAction action = d.action.pending();
    if (action == UserAction.PROMOTE_FULL) {
      d.action.consume("promote-full");
      d.note(Note.warning(ReleaseReasons.Event.StageCompleted, gone + "; canary " + canary
          + " made stable by `stagegate.dev/action: promote-full` without completing its stages"));
      Promotion.promote(d);
      // Nothing to keep serving beside the new stable: the gone revision is not asked back while it grows.
      d.scale(stable, 0);
      return false;
    }
    if (action == UserAction.ABORT) {
      d.action.consume("abort");
      d.scale(canary, 0);
      d.next.setFailedRevision(canary);
      Revisions.endCanary(d);
      d.note(Note.warning(ReleaseReasons.Event.RolledBack, "aborted by `stagegate.dev/action: abort`: canary " + canary
          + " scaled to 0; " + gone + ": no pod of this Release runs"));
      return hold(d);
    }
    d.action.ignore("while the stable Deployment is missing");
    if (!d.pausedFor(ReleaseReasons.Pause.StableMissing)) {
      d.note(Note.warning(ReleaseReasons.Event.StableMissing, gone + "; canary " + canary
          + " keeps its pods and now takes all traffic; nothing is judged or promoted"));
    }
    d.pause(ReleaseReasons.Pause.StableMissing);
    String message = "paused (StableMissing): " + gone + "; canary " + canary + " keeps its "
        + d.obs.ready(canary) + " ready pods and takes all traffic. Set spec.template back to revision " + stable
        + " to re-create it, or use the `promote-full` action to make the canary stable, or `abort` to scale it to 0";
    d.next.setPhase(ReleasePhase.Paused);
    d.next.setActualWeight(d.obs.ready(canary) > 0 ? 100 : 0);
    d.next.setMessage(message);
    d.next.setConditions(Conditions.blocked(ReleaseReasons.Pause.StableMissing.name(), message)
        .after(d.next.getConditions(), d.obs.generation(), d.now));
    return true;
  }
}
