package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;

/**
 * Ends a turn: phase, message, kstatus conditions and printer-column fields, all derived from the
 * decided state so they never disagree with it.
 */
final class StatusSummary {
  private StatusSummary() {
  }

  static void finish(ReleaseDraft d) {
    String stable = d.next.getStableRevision();
    String canary = d.next.getCanaryRevision();
    int stableReady = d.obs.ready(stable);
    int canaryReady = d.obs.ready(canary);
    d.next.setActualWeight(d.routing != null ? TrafficPlan.actualWeight(d)
        : canary == null ? null : CanaryReplicas.actualWeight(canaryReady, stableReady));
    if (canary == null) {
      d.next.setRequestedWeight(null);
    }

    String held = settleSpecHold(d);
    Conditions health;
    if (canary != null) {
      health = canaryInStage(d, canary);
    } else if (held != null) {
      d.next.setPhase(ReleasePhase.Paused);
      health = Conditions.progressing(
        ReleaseReasons.Pause.Spec.name(),
        "paused (spec.paused): revision "
          + held
          + " waits to start its canary; revision "
          + stable
          + " serves with "
          + stableReady
          + "/"
          + d.full()
          + " ready pods"
      );
    } else if (d.templateWait != null) {
      d.next.setPhase(ReleasePhase.Progressing);
      health = Conditions.progressing(ReleaseReasons.Event.TemplatePending.name(),
        d.templateWait + "; revision " + stable + " serves with " + stableReady + "/" + d.full() + " ready pods");
    } else if (d.next.getPhase() == ReleasePhase.RolledBack) {
      health = Conditions.stalled(ReleaseReasons.Event.RolledBack.name(), d.next.getMessage());
    } else {
      boolean serving = stableReady >= d.full();
      d.next.setPhase(serving ? ReleasePhase.Promoted : ReleasePhase.Progressing);
      String message = "revision " + stable + " is stable with " + stableReady + "/" + d.full() + " ready pods";
      health = serving
        ? Conditions.ready(ReleaseReasons.Event.Promoted.name(), message)
        : Conditions.progressing(ReleaseReasons.Event.Progressing.name(), message);
    }

    d.next.setMessage(health.message());
    d.next.setConditions(health.after(d.next.getConditions(), d.obs.generation(), d.now));
  }

  private static Conditions canaryInStage(ReleaseDraft d, String canary) {
    boolean paused = d.next.getPauseReason() != null || d.spec.isPaused();
    d.next.setPhase(paused ? ReleasePhase.Paused : ReleasePhase.Progressing);
    StageStatus s = d.next.getCurrentStage();
    String reason = paused ? pauseReason(d) : ReleaseReasons.Event.Progressing.name();
    String message = (paused ? "paused (" + pauseReason(d) + ") at" : "at")
      + " stage "
      + s.getName()
      + " ("
      + (s.getIndex() + 1)
      + "/"
      + d.spec.getStages().size()
      + "), canary "
      + canary
      + " weight "
      + d.next.getActualWeight()
      + "% of requested "
      + d.next.getRequestedWeight()
      + "%";
    if ((d.pausedFor(ReleaseReasons.Pause.NoEvidence) || d.pausedFor(ReleaseReasons.Pause.WaitingForGate))
        && d.pauseDetail != null) {
      message = message + ": " + d.pauseDetail;
    } else if (d.pausedFor(ReleaseReasons.Pause.CheckFailed)) {
      message = message
        + ": "
        + (d.pauseDetail != null ? d.pauseDetail : "stopped by an earlier failure (see the Warning Events); use the `resume`, `retry` or `abort` action");
    }

    return d.pause().map(ReleaseReasons.Pause::blocks).orElse(false) ? Conditions.blocked(reason, message) : Conditions.progressing(reason, message);
  }

  private static String settleSpecHold(ReleaseDraft d) {
    if (d.next.getCanaryRevision() == null && d.pausedFor(ReleaseReasons.Pause.Spec)) {
      String template = d.obs.templateRevision();
      if (d.spec.isPaused() && !template.equals(d.next.getStableRevision()) && !template.equals(d.next.getFailedRevision())) {
        return template;
      } else {
        d.next.setPauseReason(null);
        return null;
      }
    } else {
      return null;
    }
  }

  private static String pauseReason(ReleaseDraft d) {
    return d.next.getPauseReason() != null ? d.next.getPauseReason() : ReleaseReasons.Pause.Spec.name();
  }

  static ReleasePlan invalid(ReleaseDraft d, String message) {
    boolean changed = d.next.getPhase() != ReleasePhase.Failed || !message.equals(d.next.getMessage());
    d.next.setPhase(ReleasePhase.Failed);
    d.next.setMessage(message);
    d.next.setConditions(Conditions.stalled(ReleaseReasons.Event.InvalidSpec.name(), message).after(d.next.getConditions(), d.obs.generation(), d.now));
    if (changed) {
      d.note(Note.warning(ReleaseReasons.Event.InvalidSpec, message));
    }

    return d.planWithoutChanges();
  }

  static ReleasePlan refused(ReleaseDraft d) {
    String message = d.obs.refusal() == null ? d.next.getMessage() : "invalid spec: spec.template: the API server refused the Deployment: " + d.obs.refusal();
    String template = d.obs.templateRevision();
    if (template.equals(d.next.getStableRevision()) && !d.obs.deployments().containsKey(template)) {
      d.next.setStableRevision(null);
    }

    return invalid(d, message);
  }
}
