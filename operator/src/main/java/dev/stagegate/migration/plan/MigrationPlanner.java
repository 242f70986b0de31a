package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.common.ActionTurn;
import dev.stagegate.templates.MigrationTemplateRecords;
import dev.stagegate.templates.TemplatedMigration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The DataMigration's pure planner: validates once per turn, then reopens, guards, backs up, loads,
 * verifies or undoes stages as the status says, and summarises. Database work and Jobs are only requested
 * here; the reconciler performs them.
 */
public final class MigrationPlanner {
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(5L);
  public static final Duration WORK_POLL = MigrationDraft.WORK_POLL;
  public static final Duration IDLE_REQUEUE = MigrationDraft.IDLE_REQUEUE;
  private final Duration retryDelay;

  public MigrationPlanner() {
    this(DEFAULT_RETRY);
  }

  public MigrationPlanner(Duration retryDelay) {
    this.retryDelay = retryDelay;
  }

  public Turn turn(DataMigration migration, Instant now) {
    return turn(TemplatedMigration.plain(migration), now);
  }

  /** A turn on the migration with its template verify checks resolved (the reconciler resolves them). */
  public Turn turn(TemplatedMigration templated, Instant now) {
    List<String> errors = new ArrayList<>(MigrationValidator.validate(templated.migration()));
    errors.addAll(templated.invalid());
    return new Turn(templated, now, errors);
  }

  public List<WorkRequest> due(DataMigration migration, Instant now) {
    return turn(migration, now).due();
  }

  public MigrationPlan plan(DataMigration migration, MigrationObservation observation, Instant now) {
    return turn(migration, now).plan(observation);
  }

  public final class Turn {
    private final DataMigration migration;
    private final TemplatedMigration templated;
    private final Instant now;
    private final List<String> errors;

    private Turn(TemplatedMigration templated, Instant now, List<String> errors) {
      this.migration = templated.migration();
      this.templated = templated;
      this.now = now;
      this.errors = errors;
    }

    public List<WorkRequest> due() {
      DataMigrationStatus status = migration.getStatus() == null ? new DataMigrationStatus() : migration.getStatus();
      return migration.getSpec() != null && !MigrationState.terminal(status.getPhase()) && errors.isEmpty()
          && !TemplateHold.beforeFirstWrite(status, templated)
        ? DueWork.of(migration, now, retryDelay)
        : List.of();
    }

    public MigrationPlan plan(MigrationObservation observation) {
      MigrationDraft d = new MigrationDraft(migration, observation, now, retryDelay);
      d.next.setObservedGeneration(observation.generation());
      d.action = ActionTurn.read(MigrationAction.class, observation.action(), d.next, d.notes, now);
      // A finished run stays finished; a failed one moves again only when reopened (changed spec, retry).
      MigrationPhase phase = d.next.getPhase();
      if (phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack
          || (phase == MigrationPhase.Failed && !Reopen.reopen(d))) {
        return finish(d);
      }
      if (!errors.isEmpty()) {
        Reopen.invalid(d, "invalid spec: " + String.join("; ", errors));
        return finish(d);
      }
      if (d.next.getPhase() == null) {
        d.next.setPhase(MigrationPhase.Pending);
      }
      if (LinkedFailure.aborts(d)) {
        // A linked Release rolled back: the migration rolls back with it (status.rollback says why).
        return finish(d);
      }
      if (d.next.getRollback() != null) {
        // A rollback in progress runs to its end before anything else is considered.
        Undo.step(d);
      } else if (d.next.getStages().isEmpty()) {
        // Nothing written yet: the checks' templates, then guards and the backup come first.
        if (!TemplateHold.hold(d, templated)) {
          Guarding.step(d);
        }
      } else if (d.action.pending() == MigrationAction.ABORT) {
        d.action.consume("abort");
        Undo.startRollback(d, MigrationReasons.Cause.Aborted, "aborted by `stagegate.dev/action: abort`");
      } else if (MigrationState.stagesChanged(d.spec, d.next)) {
        // The stage boundaries are fixed once the first stage ran: undo needs the ranges that were loaded.
        d.pause(MigrationReasons.Cause.SpecChanged,
            "spec.stages or spec.partition changed after the stage boundaries were fixed; restore them, or abort");
      } else {
        if (d.pausedFor(MigrationReasons.Cause.SpecChanged) || d.pausedFor(MigrationReasons.Cause.InvalidSpec)) {
          d.resume("the spec fits the fixed boundaries again");
        }
        UserActions.apply(d);
        StageLoad.progress(d);
      }
      return finish(d);
    }

    private MigrationPlan finish(MigrationDraft d) {
      MigrationTemplateRecords.keep(d.next, templated.fresh());
      return StatusSummary.finish(d);
    }
  }
}
