package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.common.ActionTurn;
import dev.stagegate.common.Copies;
import dev.stagegate.common.Note;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status being decided in one turn, with the Job changes, database work requests, Events and
 * wake-up time the steps add to it.
 */
final class MigrationDraft {
  static final Duration MIN_REQUEUE = Duration.ofMillis(500L);
  static final Duration WORK_POLL = Duration.ofSeconds(5L);
  static final Duration MAX_REQUEUE = Duration.ofSeconds(30L);
  static final Duration IDLE_REQUEUE = Duration.ofMinutes(5L);
  final DataMigration migration;
  final DataMigrationSpec spec;
  final MigrationObservation obs;
  final Instant now;
  final Duration retryDelay;
  final DataMigrationStatus next;
  final Long previousGeneration;
  final List<Note> notes = new ArrayList<>();
  private final List<JobChange> jobs = new ArrayList<>();
  private final List<Instant> wakeUps = new ArrayList<>();
  private boolean waitingForWork;
  ActionTurn<MigrationAction> action;

  MigrationDraft(DataMigration migration, MigrationObservation obs, Instant now, Duration retryDelay) {
    this.migration = migration;
    this.spec = migration.getSpec();
    this.obs = obs;
    this.now = now;
    this.retryDelay = retryDelay;
    DataMigrationStatus previous = migration.getStatus() == null ? new DataMigrationStatus() : migration.getStatus();
    this.next = Copies.deep(previous, DataMigrationStatus.class);
    this.previousGeneration = previous.getObservedGeneration();
  }

  void note(Note note) {
    this.notes.add(note);
  }

  void job(JobChange change) {
    this.jobs.add(change);
  }

  void wakeAt(Instant at) {
    this.wakeUps.add(at);
  }

  void waitForWork() {
    this.waitingForWork = true;
  }

  MigrationPlan plan(MigrationPhase phase) {
    return new MigrationPlan(this.next, this.jobs.stream().distinct().toList(), this.notes, requeue(phase), this.action.consumed());
  }

  private Duration requeue(MigrationPhase phase) {
    if (MigrationState.terminal(phase)) {
      return IDLE_REQUEUE;
    } else {
      Duration wait = this.wakeUps
        .stream()
        .min(Comparator.naturalOrder())
        .map(at -> Duration.between(this.now, at))
        .orElse(
          !pausedFor(MigrationReasons.Cause.AwaitingApproval) && !MigrationState.failurePause(this.next.getPauseReason())
            ? MAX_REQUEUE
            : IDLE_REQUEUE
        );
      if (this.waitingForWork && wait.compareTo(WORK_POLL) > 0) {
        wait = WORK_POLL;
      }

      if (wait.compareTo(MIN_REQUEUE) < 0) {
        return MIN_REQUEUE;
      } else {
        return wait.compareTo(IDLE_REQUEUE) > 0 ? IDLE_REQUEUE : wait;
      }
    }
  }

  boolean pausedFor(MigrationReasons.Cause cause) {
    return cause.name().equals(this.next.getPauseReason());
  }

  void pause(MigrationReasons.Cause reason, String message) {
    if (!pausedFor(reason)) {
      this.notes.add(Note.warning(reason, message));
    }

    this.next.setPauseReason(reason.name());
    this.next.setMessage(message);
  }

  void resume(String why) {
    if (this.next.getPauseReason() != null) {
      this.notes.add(Note.normal(MigrationReasons.Event.Resumed, why));
    }

    this.next.setPauseReason(null);
  }

  void terminalFailure(MigrationReasons.Cause reason, String message, boolean note) {
    this.next.setPhase(MigrationPhase.Failed);
    this.next.setFailureReason(reason.name());
    this.next.setPauseReason(null);
    this.next.setMessage(message);
    if (note) {
      this.notes.add(Note.warning(reason, message));
    }
  }

  Optional<StageProgress> currentStage() {
    return this.next.getStages().stream().filter(s -> s.getName().equals(this.next.getCurrentStage())).findFirst();
  }

  long loadedRows() {
    return this.next
      .getStages()
      .stream()
      .filter(s -> s.getState() == StageState.Loaded || s.getState() == StageState.Verified)
      .mapToLong(s -> s.getRows() == null ? 0L : s.getRows())
      .sum();
  }

  String stageLabel(int index) {
    return "stage " + this.next.getStages().get(index).getName() + " (" + (index + 1) + "/" + this.next.getStages().size() + ")";
  }

  static String summary(List<VerifyStatus> entries) {
    List<String> parts = new ArrayList<>();

    for (VerifyStatus vs : entries) {
      StringBuilder sb = new StringBuilder(vs.getName()).append(' ').append(vs.getResult() == null ? "pending" : vs.getResult().name());
      if (vs.getMissing() != null) {
        sb.append(" (")
          .append(vs.getSourceRows())
          .append('/')
          .append(vs.getTargetRows())
          .append(" rows, ")
          .append(vs.getMissing())
          .append(" missing, ")
          .append(vs.getExtra())
          .append(" extra, ")
          .append(vs.getChanged())
          .append(" changed)");
      } else if (vs.getValue() != null) {
        sb.append(" (").append(vs.getValue()).append(')');
      }

      parts.add(sb.toString());
    }

    return String.join(", ", parts);
  }
}
