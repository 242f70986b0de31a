package dev.stagegate.release.plan;

import dev.stagegate.analysis.SequentialCarry;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.SequentialEvidence;
import dev.stagegate.common.Note;

/**
 * Says so when a sequential check's parameters changed mid-rollout. The evaluation has already started the evidence
 * over (old log ratios were computed for other parameters and cannot be converted); without an Event a user who lowered
 * falseRollbackRate would only see the counts drop to zero. Also keeps the last restart's reason in status.
 */
final class SequentialParameters {
  private SequentialParameters() {
  }

  static void carry(ReleaseDraft d, Check check, SequentialEvidence before, SequentialEvidence after) {
    var change = SequentialCarry.parameterChange(before, after);
    if (change.isPresent()) {
      after.setLastRestart(change.get());
      d.note(Note.normal(ReleaseReasons.Event.ParametersChanged, "check " + check.getName() + ": " + change.get()
          + "; its sequential evidence restarts from this reading (restart " + after.getRestarts() + ")"));
    } else if (before != null && after.getLastRestart() == null) {
      after.setLastRestart(before.getLastRestart());
    }
  }
}
