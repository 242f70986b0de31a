package dev.stagegate.release.plan;

import dev.stagegate.analysis.SequentialBudget;
import dev.stagegate.analysis.SequentialCarry;
import dev.stagegate.analysis.SequentialSpec;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Note;

/** Applies a `stagegate.dev/action` (promote, pause, resume, abort, retry) to a running canary. */
final class UserActions {
  private UserActions() {
  }

  static boolean applyToCanary(ReleaseDraft d) {
    UserAction action = d.action.pending();
    if (action == null) {
      return false;
    } else {
      StageStatus stageStatus = d.next.getCurrentStage();
      switch (action) {
        case ABORT:
          d.action.consume("abort");
          Rollback.rollback(d, ReleaseReasons.Event.Aborted, "aborted by `stagegate.dev/action: abort`");
          return true;
        case PAUSE:
          d.action.consume("pause");
          d.pause(ReleaseReasons.Pause.Manual);
          d.note(Note.normal(ReleaseReasons.Event.Paused, "paused by `stagegate.dev/action: pause` at stage " + stageStatus.getName()));
          break;
        case RESUME:
          d.action.consume("resume");
          if (d.next.getPauseReason() != null && !d.pausedFor(ReleaseReasons.Pause.AwaitingApproval)) {
            if (d.pausedFor(ReleaseReasons.Pause.CheckFailed)) {
              d.next.getChecks().forEach(c -> c.setConsecutiveFailures(0));
              restartSequentialEvidence(d, "resume");
            }

            d.next.setPauseReason(null);
            d.note(Note.normal(ReleaseReasons.Event.Resumed, "resumed by `stagegate.dev/action: resume`"));
          }
          break;
        case PROMOTE:
          d.action.consume("promote");
          stageStatus.setApproved(true);
          d.next.setPauseReason(null);
          Promotion.completeStage(d, "stage " + stageStatus.getName() + " promoted by `stagegate.dev/action: promote`");
          return true;
        case PROMOTE_FULL:
          d.action.consume("promote-full");
          d.note(Note.normal(ReleaseReasons.Event.StageCompleted, "remaining stages skipped by `stagegate.dev/action: promote-full`"));
          Promotion.promote(d);
          return true;
        case RETRY:
          if (d.pausedFor(ReleaseReasons.Pause.CheckFailed)) {
            d.action.consume("retry");
            restartSequentialEvidence(d, "retry");
            d.note(Note.normal(ReleaseReasons.Event.Retrying, "restarting canary " + d.next.getCanaryRevision() + " from the first stage"));
            Revisions.startCanary(d, d.next.getCanaryRevision());
            Stage first = d.spec.getStages().get(0);
            d.sizeFor(first);
            // The weight asked is the first stage's now, not the failed stage's (ReleasePlannerPropertyTest found it).
            d.next.setRequestedWeight(first.getWeight());
            return true;
          }
      }

      return false;
    }
  }

  /**
   * A ROLLBACK decision is absorbing, so a resumed or retried canary would fail its sequential checks again at once.
   * Their evidence restarts here, said explicitly in an Event; the next reading is the new baseline.
   */
  private static void restartSequentialEvidence(ReleaseDraft d, String action) {
    for (Check check : d.checks()) {
      CheckStatus cs = d.checkStatus(check.getName());
      SequentialSpec sequential = SequentialBudget.spec(d.spec, check);
      if (sequential != null && cs != null && cs.getSequential() != null) {
        cs.setSequential(SequentialCarry.restarted(sequential, cs.getSequential(), action));
        d.note(Note.normal(ReleaseReasons.Event.EvidenceRestarted, "check " + check.getName()
            + ": sequential evidence restarts from the next reading after " + action
            + " (a new false-rollback budget for the rest of the rollout)"));
      }
    }
  }
}
