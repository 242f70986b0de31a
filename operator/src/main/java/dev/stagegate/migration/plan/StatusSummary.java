package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.common.Conditions;

/** Ends a turn: phase, message, kstatus conditions and row counts derived from the decided state. */
final class StatusSummary {
  private StatusSummary() {
  }

  static MigrationPlan finish(MigrationDraft d) {
    DataMigrationStatus next = d.next;
    d.action.ignore("in phase " + next.getPhase());
    MigrationPhase phase = next.getPhase();
    if (!MigrationState.terminal(phase) && next.getPauseReason() != null) {
      next.setPhase(MigrationPhase.Paused);
      phase = MigrationPhase.Paused;
    }
    String reason = switch (phase) {
      case Failed -> next.getFailureReason();
      case Paused -> next.getPauseReason() != null ? next.getPauseReason() : "Paused";
      case RolledBack -> next.getRollback() != null && Boolean.FALSE.equals(next.getRollback().getVerified())
          ? MigrationReasons.Event.RolledBackUnverified.name() : phase.name();
      default -> phase.name();
    };
    String message = next.getMessage();

    Conditions health = switch (phase) {
      case Failed, RolledBack -> Conditions.stalled(reason, message);
      // Waiting for approval or for a linked Release is progress as planned, not being stuck.
      case Paused -> d.pausedFor(MigrationReasons.Cause.AwaitingApproval) || d.pausedFor(MigrationReasons.Cause.WaitingForGate)
          ? Conditions.progressing(reason, message) : Conditions.blocked(reason, message);
      case Succeeded -> Conditions.ready(reason, message);
      default -> Conditions.progressing(reason, message);
    };
    next.setConditions(health.after(next.getConditions(), d.obs.generation(), d.now));
    return d.plan(phase);
  }
}
