package dev.stagegate.migration;

import dev.stagegate.api.CheckResult;
import dev.stagegate.api.DataMigration;
import dev.stagegate.api.DataMigrationSpec;
import dev.stagegate.api.DataMigrationStatus;
import dev.stagegate.api.Durations;
import dev.stagegate.api.FailurePolicy;
import dev.stagegate.api.GuardStatus;
import dev.stagegate.api.JobRun;
import dev.stagegate.api.JobState;
import dev.stagegate.api.MigrationPhase;
import dev.stagegate.api.MigrationStage;
import dev.stagegate.api.RollbackStatus;
import dev.stagegate.api.StageProgress;
import dev.stagegate.api.StageState;
import dev.stagegate.api.VerifyCheck;
import dev.stagegate.api.VerifyStatus;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Copies;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import dev.stagegate.datacompare.ComparisonResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a DataMigration's next step from its spec, its last status and what was observed (Jobs,
 * finished database work), at a given instant. Pure: no Kubernetes, no JDBC, no clock of its own.
 * Everything needed to continue after an operator restart is in the status it returns; Jobs are
 * created only by the reconciler, after that status is stored.
 */
public final class MigrationPlanner {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);
  static final Duration MIN_REQUEUE = Duration.ofMillis(500);
  static final Duration WORK_POLL = Duration.ofSeconds(5);
  static final Duration MAX_REQUEUE = Duration.ofSeconds(30);
  static final Duration IDLE_REQUEUE = Duration.ofMinutes(5);

  /** Pause reasons that are not failures. */
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  public static final String NO_EVIDENCE = "NoEvidence";
  public static final String DATABASE_UNREACHABLE = "DatabaseUnreachable";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String GUARD_ERROR = "GuardError";
  public static final String SPEC_CHANGED = "SpecChanged";
  public static final String INVALID_SPEC = "InvalidSpec";

  /** Failure reasons (status.failureReason, and the pause reason under onFailure: Pause). */
  public static final String GUARD_FAILED = "GuardFailed";
  public static final String BACKUP_FAILED = "BackupFailed";
  public static final String WORKER_FAILED = "WorkerFailed";
  public static final String VERIFY_FAILED = "VerifyFailed";
  public static final String UNDO_FAILED = "UndoFailed";
  public static final String ROLLBACK_VERIFY_FAILED = "RollbackVerifyFailed";
  public static final String ABORTED = "Aborted";

  private static final Set<String> FAILURE_PAUSES = Set.of(BACKUP_FAILED, WORKER_FAILED, VERIFY_FAILED);
  private static final Set<String> EVIDENCE_PAUSES = Set.of(NO_EVIDENCE, DATABASE_UNREACHABLE, SECRET_NOT_FOUND);

  private final Duration retryDelay;

  public MigrationPlanner() {
    this(DEFAULT_RETRY);
  }

  /** @param retryDelay how long to wait before checking a database again after it could not be reached */
  public MigrationPlanner(Duration retryDelay) {
    this.retryDelay = retryDelay;
  }

  /** The database work to run now; the reconciler runs it off its thread and hands the results back. */
  public List<WorkRequest> due(DataMigration migration, Instant now) {
    DataMigrationSpec spec = migration.getSpec();
    DataMigrationStatus status = migration.getStatus() == null ? new DataMigrationStatus() : migration.getStatus();
    if (spec == null || terminal(status.getPhase()) || !MigrationValidator.validate(migration).isEmpty()) {
      return List.of();
    }
    if (status.getRollback() != null) {
      return dueRollbackChecks(spec, status, now);
    }
    if (status.getStages() == null || status.getStages().isEmpty()) {
      Instant last = Timestamps.parse(status.getLastPreflightAt());
      return last == null || !now.isBefore(last.plus(retryDelay))
          ? List.of(new WorkRequest.Preflight(status.preflightRunCount())) : List.of();
    }
    if (stagesChanged(spec, status) || failurePause(status.getPauseReason())
        || AWAITING_APPROVAL.equals(status.getPauseReason())) {
      return List.of();
    }
    int index = firstUnverified(status);
    if (index < 0) {
      return List.of();
    }
    StageProgress stage = status.getStages().get(index);
    if (stage.getState() != StageState.Loaded || stage.isRetrying()) {
      return List.of();
    }
    List<WorkRequest> due = new ArrayList<>();
    for (VerifyCheck check : spec.verifyOrEmpty()) {
      VerifyStatus vs = find(status.getVerify(), check.getName());
      boolean fresh = vs == null || !stage.getName().equals(vs.getStage());
      if (!fresh && vs.hasPassed()) {
        continue;
      }
      Instant last = fresh ? null : Timestamps.parse(vs.getEvaluatedAt());
      if (last == null || !now.isBefore(last.plus(interval(check)))) {
        due.add(new WorkRequest.Verify(check, stage.getName(), stage.getJob() == null ? 1 : stage.getJob().attemptOrOne(),
            status.getStages().get(0).getKeyFrom(), stage.getKeyTo(), fresh ? 0 : vs.evaluationCount()));
      }
    }
    return due;
  }

  private List<WorkRequest> dueRollbackChecks(DataMigrationSpec spec, DataMigrationStatus status, Instant now) {
    if (!stagesToUndo(status).isEmpty() || failurePause(status.getPauseReason())) {
      return List.of();
    }
    Optional<long[]> range = undoneRange(status);
    if (range.isEmpty()) {
      return List.of();
    }
    List<WorkRequest> due = new ArrayList<>();
    for (VerifyCheck check : spec.verifyOrEmpty()) {
      if (check.getCompare() == null) {
        continue;
      }
      VerifyStatus vs = find(status.getRollback().getChecks(), check.getName());
      if (vs != null && vs.hasPassed()) {
        continue;
      }
      Instant last = vs == null ? null : Timestamps.parse(vs.getEvaluatedAt());
      if (last == null || !now.isBefore(last.plus(interval(check)))) {
        due.add(new WorkRequest.RollbackVerify(check, range.get()[0], range.get()[1],
            vs == null ? 0 : vs.evaluationCount()));
      }
    }
    return due;
  }

  public MigrationPlan plan(DataMigration migration, MigrationObservation observation, Instant now) {
    return new Turn(migration, observation, now).run();
  }

  // ----- helpers shared by due() and the turn

  static Duration interval(VerifyCheck check) {
    return Durations.parseOr(check.getInterval(), DEFAULT_INTERVAL);
  }

  static VerifyStatus find(List<VerifyStatus> list, String name) {
    return list == null ? null : list.stream().filter(v -> name.equals(v.getName())).findFirst().orElse(null);
  }

  /** Set.of rejects null lookups; a migration without a pause has a null reason. */
  static boolean failurePause(String reason) {
    return reason != null && FAILURE_PAUSES.contains(reason);
  }

  static boolean terminal(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed;
  }

  static int firstUnverified(DataMigrationStatus status) {
    for (int i = 0; i < status.getStages().size(); i++) {
      if (status.getStages().get(i).getState() != StageState.Verified) {
        return i;
      }
    }
    return -1;
  }

  /** A Job the API server refused to create: it never ran, so there is nothing of it to undo. */
  static boolean neverCreated(JobRun job) {
    return job.getUid() == null && job.getState() == JobState.Failed;
  }

  /** Stages whose worker Job may have written and that are not undone yet, newest first. */
  static List<Integer> stagesToUndo(DataMigrationStatus status) {
    List<Integer> out = new ArrayList<>();
    for (int i = status.getStages().size() - 1; i >= 0; i--) {
      StageProgress s = status.getStages().get(i);
      if (s.getJob() != null && !neverCreated(s.getJob()) && s.getState() != StageState.Undone) {
        out.add(i);
      }
    }
    return out;
  }

  /** [first key, end of the last undone stage): what the rollback checks expect to be empty. */
  static Optional<long[]> undoneRange(DataMigrationStatus status) {
    long to = Long.MIN_VALUE;
    for (StageProgress s : status.getStages()) {
      if (s.getState() == StageState.Undone) {
        to = Math.max(to, s.getKeyTo());
      }
    }
    return to == Long.MIN_VALUE ? Optional.empty() : Optional.of(new long[] {status.getStages().get(0).getKeyFrom(), to});
  }

  /** The boundaries were fixed for these stages: a spec that renames, adds or moves stages cannot reuse them. */
  static boolean stagesChanged(DataMigrationSpec spec, DataMigrationStatus status) {
    List<MigrationStage> wanted = spec.getStages();
    List<StageProgress> fixed = status.getStages();
    if (wanted.size() != fixed.size()) {
      return true;
    }
    for (int i = 0; i < wanted.size(); i++) {
      if (!wanted.get(i).getName().equals(fixed.get(i).getName())
          || !wanted.get(i).getPercent().equals(fixed.get(i).getPercent())) {
        return true;
      }
    }
    String partition = spec.getPartition().getTable() + "." + spec.getPartition().getKey();
    return status.getPartition() != null && !status.getPartition().equals(partition);
  }

  static String range(long from, long to) {
    return "[" + from + ", " + to + ")";
  }

  /** One planning turn; holds the working copy of the status and what the turn decided. */
  private final class Turn {
    private final DataMigration migration;
    private final DataMigrationSpec spec;
    private final MigrationObservation obs;
    private final Instant now;
    private final DataMigrationStatus next;
    private final Long previousGeneration;
    private final List<Note> notes = new ArrayList<>();
    private final List<JobChange> jobs = new ArrayList<>();
    private final List<Instant> wakeUps = new ArrayList<>();
    private MigrationAction action;
    private boolean actionConsumed;
    private boolean waitingForWork;

    Turn(DataMigration migration, MigrationObservation obs, Instant now) {
      this.migration = migration;
      this.spec = migration.getSpec();
      this.obs = obs;
      this.now = now;
      DataMigrationStatus previous = migration.getStatus() == null ? new DataMigrationStatus() : migration.getStatus();
      this.next = Copies.deep(previous, DataMigrationStatus.class);
      this.previousGeneration = previous.getObservedGeneration();
    }

    MigrationPlan run() {
      next.setObservedGeneration(obs.generation());
      readAction();
      List<String> errors = MigrationValidator.validate(migration);

      if (next.getPhase() == MigrationPhase.Succeeded || next.getPhase() == MigrationPhase.RolledBack) {
        return finish();
      }
      if (next.getPhase() == MigrationPhase.Failed && !reopen()) {
        return finish();
      }
      if (!errors.isEmpty()) {
        invalid("invalid spec: " + String.join("; ", errors));
        return finish();
      }
      if (next.getPhase() == null) {
        next.setPhase(MigrationPhase.Pending);
      }
      if (next.getRollback() != null) {
        rollbackStep();
      } else if (next.getStages().isEmpty()) {
        preflightStep();
      } else if (action == MigrationAction.ABORT) {
        consume("abort");
        startRollback(ABORTED, "aborted by `stagegate.dev/action: abort`");
      } else if (stagesChanged(spec, next)) {
        pause(SPEC_CHANGED, "spec.stages or spec.partition changed after the stage boundaries were fixed; restore them,"
            + " or abort");
      } else {
        if (SPEC_CHANGED.equals(next.getPauseReason()) || INVALID_SPEC.equals(next.getPauseReason())) {
          resume("the spec fits the fixed boundaries again");
        }
        applyAction();
        progress();
      }
      return finish();
    }

    // ----- before anything is written

    /** A Failed migration starts over when nothing was written and its spec changed or `retry-stage` asks. */
    private boolean reopen() {
      boolean generationChanged = previousGeneration != null && previousGeneration != obs.generation();
      if (nothingWritten() && (generationChanged || action == MigrationAction.RETRY_STAGE)) {
        if (action == MigrationAction.RETRY_STAGE) {
          consume("retry-stage");
        }
        notes.add(Note.normal("Restarted", generationChanged ? "the spec changed; checking again from the start"
            : "starting again from the guards"));
        reset();
        return true;
      }
      if (UNDO_FAILED.equals(next.getFailureReason()) && action == MigrationAction.RETRY_STAGE) {
        consume("retry-stage");
        next.setFailureReason(null);
        next.setPhase(MigrationPhase.RollingBack);
        for (StageProgress s : next.getStages()) {
          if (s.getUndo() != null && s.getUndo().getState() == JobState.Failed) {
            s.setUndo(null);
          }
        }
        notes.add(Note.normal("Retrying", "running the failed undo again"));
        return true;
      }
      return false;
    }

    private boolean nothingWritten() {
      return next.getStages().stream().allMatch(s -> s.getJob() == null || neverCreated(s.getJob()));
    }

    private void reset() {
      next.setPhase(MigrationPhase.Pending);
      next.setPauseReason(null);
      next.setFailureReason(null);
      next.setMessage(null);
      next.setGuards(new ArrayList<>());
      next.setStages(new ArrayList<>());
      next.setVerify(new ArrayList<>());
      next.setBackup(null);
      next.setRollback(null);
      next.setRowsTotal(null);
      next.setRowsMigrated(null);
      next.setRunId(null);
      next.setPartition(null);
      next.setCurrentStage(null);
      next.setLastPreflightAt(null);
    }

    private void invalid(String message) {
      if (nothingWritten()) {
        boolean changed = next.getPhase() != MigrationPhase.Failed || !message.equals(next.getMessage());
        terminalFailure(INVALID_SPEC, message, changed);
      } else {
        pause(INVALID_SPEC, message + "; holding the loaded stages as they are until the spec is fixed");
      }
    }

    private void preflightStep() {
      next.setPhase(MigrationPhase.Guarding);
      if (action == MigrationAction.ABORT) {
        consume("abort");
        terminalFailure(ABORTED, "aborted by `stagegate.dev/action: abort` before anything was written", true);
        return;
      }
      PreflightOutcome outcome = obs.preflight();
      if (outcome == null) {
        waitForWork();
        if (next.getMessage() == null || next.getPauseReason() == null) {
          next.setMessage("checking the schema and the guards");
        }
        return;
      }
      next.setPreflightRuns(next.preflightRunCount() + 1);
      next.setLastPreflightAt(Timestamps.precise(now));
      if (outcome instanceof PreflightOutcome.Blocked b) {
        recordGuards(b.guards());
        pause(b.reason(), b.message() + "; nothing is written, trying again in " + retryDelay.toSeconds() + "s");
        wakeUps.add(now.plus(retryDelay));
      } else if (outcome instanceof PreflightOutcome.Invalid i) {
        invalid("invalid spec: " + String.join("; ", i.errors()));
      } else if (outcome instanceof PreflightOutcome.Refused r) {
        recordGuards(r.guards());
        terminalFailure(r.reason(), r.message() + "; nothing was written", true);
      } else if (outcome instanceof PreflightOutcome.Ready r) {
        recordGuards(r.guards());
        if (next.getPauseReason() != null) {
          resume("the databases answer again");
        }
        fixBoundaries(r.boundaries());
        progress();
      }
    }

    private void recordGuards(List<GuardOutcome> outcomes) {
      List<GuardStatus> guards = new ArrayList<>();
      for (GuardOutcome g : outcomes) {
        GuardStatus gs = new GuardStatus(g.name());
        gs.setResult(g.result());
        gs.setObserved(g.observed());
        gs.setExpected(g.expected());
        gs.setMessage(g.message());
        gs.setEvaluatedAt(Timestamps.format(now));
        guards.add(gs);
      }
      next.setGuards(guards);
    }

    private void fixBoundaries(Boundaries boundaries) {
      List<StageProgress> stages = new ArrayList<>();
      List<String> described = new ArrayList<>();
      for (int i = 0; i < spec.getStages().size(); i++) {
        MigrationStage stage = spec.getStages().get(i);
        StageRange r = boundaries.stages().get(i);
        stages.add(new StageProgress(stage.getName(), stage.getPercent(), r.keyFrom(), r.keyTo(), r.rows()));
        described.add(stage.getName() + " " + range(r.keyFrom(), r.keyTo()) + " " + r.rows() + " rows");
      }
      next.setStages(stages);
      next.setRowsTotal(boundaries.totalRows());
      next.setRowsMigrated(0L);
      next.setPartition(spec.getPartition().getTable() + "." + spec.getPartition().getKey());
      String uid = migration.getMetadata().getUid();
      next.setRunId((uid == null ? "local" : uid.substring(0, Math.min(8, uid.length()))) + "-" + obs.generation());
      notes.add(Note.normal("GuardsPassed", next.getGuards().isEmpty() ? "no guards; schema checks passed"
          : next.getGuards().size() + " guard(s) passed: " + String.join(", ",
              next.getGuards().stream().map(GuardStatus::getName).toList())));
      notes.add(Note.normal("BoundariesFixed", boundaries.totalRows() + " source rows; " + String.join(", ", described)));
    }

    // ----- the stages

    private void progress() {
      if (spec.getBackup() != null && !backupDone()) {
        return;
      }
      stageStep();
    }

    private boolean backupDone() {
      JobRun backup = next.getBackup();
      if (backup == null) {
        createBackup(1);
        return false;
      }
      switch (backup.getState()) {
        case Succeeded -> {
          return true;
        }
        case Running -> {
          next.setPhase(MigrationPhase.BackingUp);
          next.setMessage("backup Job " + backup.getName() + " running");
          switch (track(backup, JobKind.BACKUP, -1)) {
            case SUCCEEDED -> {
              notes.add(Note.normal("BackupCompleted", "backup Job " + backup.getName() + " succeeded"));
              return true;
            }
            case FAILED, LOST -> fail(BACKUP_FAILED, "backup Job " + backup.getName() + " failed: " + backup.getMessage());
            default -> { }
          }
          return false;
        }
        default -> {
          return false;
        }
      }
    }

    private void createBackup(int attempt) {
      String name = JobNames.backup(migration.getMetadata().getName(), attempt);
      next.setBackup(new JobRun(name, attempt, Timestamps.format(now)));
      jobs.add(new JobChange.Create(JobKind.BACKUP, -1, name));
      next.setPhase(MigrationPhase.BackingUp);
      next.setMessage("backup Job " + name + " running");
      notes.add(Note.normal("BackupStarted", "backup Job " + name + " created before the first write"));
    }

    private void stageStep() {
      List<StageProgress> stages = next.getStages();
      int index = firstUnverified(next);
      int previous = index < 0 ? stages.size() - 1 : index - 1;
      if (previous >= 0 && spec.getStages().get(previous).needsApproval() && !stages.get(previous).isApproved()) {
        awaitApproval(stages.get(previous));
        return;
      }
      if (index < 0) {
        succeed();
        return;
      }
      StageProgress stage = stages.get(index);
      next.setCurrentStage(stage.getName());
      if (stage.isRetrying()) {
        retryStep(index, stage);
        return;
      }
      switch (stage.getState()) {
        case Pending, Undone -> startStage(index, 1);
        case Running -> loadStep(index, stage);
        case Loaded -> verifyStep(index, stage);
        case Failed -> next.setPhase(MigrationPhase.Paused);
        default -> { }
      }
    }

    private void startStage(int index, int attempt) {
      StageProgress stage = next.getStages().get(index);
      String name = JobNames.stage(migration.getMetadata().getName(), stage.getName(), JobKind.LOAD, attempt);
      stage.setState(StageState.Running);
      stage.setStartedAt(Timestamps.format(now));
      stage.setJob(new JobRun(name, attempt, Timestamps.format(now)));
      jobs.add(new JobChange.Create(JobKind.LOAD, index, name));
      next.setPhase(MigrationPhase.Migrating);
      next.setCurrentStage(stage.getName());
      next.setMessage(stageLabel(index) + ": Job " + name + " loads keys " + range(stage.getKeyFrom(), stage.getKeyTo())
          + " (" + stage.getRows() + " rows)");
      notes.add(Note.normal("StageStarted", next.getMessage()));
    }

    private void loadStep(int index, StageProgress stage) {
      JobRun job = stage.getJob();
      next.setPhase(MigrationPhase.Migrating);
      next.setMessage(stageLabel(index) + ": Job " + job.getName() + " loads keys "
          + range(stage.getKeyFrom(), stage.getKeyTo()) + " (" + stage.getRows() + " rows)");
      switch (track(job, JobKind.LOAD, index)) {
        case SUCCEEDED -> {
          stage.setState(StageState.Loaded);
          stage.setLoadedAt(Timestamps.format(now));
          next.setRowsMigrated(loadedRows());
          notes.add(Note.normal("StageLoaded", stageLabel(index) + ": Job " + job.getName() + " loaded keys "
              + range(stage.getKeyFrom(), stage.getKeyTo())));
          verifyStep(index, stage);
        }
        case FAILED, LOST -> {
          stage.setState(StageState.Failed);
          stage.setMessage("Job " + job.getName() + " failed: " + job.getMessage());
          fail(WORKER_FAILED, stageLabel(index) + ": worker Job " + job.getName() + " failed: " + job.getMessage());
        }
        default -> { }
      }
    }

    private void verifyStep(int index, StageProgress stage) {
      next.setPhase(MigrationPhase.Verifying);
      long from = next.getStages().get(0).getKeyFrom();
      List<VerifyStatus> entries = new ArrayList<>();
      for (VerifyCheck check : spec.verifyOrEmpty()) {
        VerifyStatus vs = find(next.getVerify(), check.getName());
        if (vs == null || !stage.getName().equals(vs.getStage())) {
          vs = new VerifyStatus(check.getName(), stage.getName(), from, stage.getKeyTo());
        }
        entries.add(vs);
      }
      next.setVerify(entries);
      if (VERIFY_FAILED.equals(next.getPauseReason())) {
        next.setPhase(MigrationPhase.Paused);
        return;
      }
      String failed = null;
      for (VerifyCheck check : spec.verifyOrEmpty()) {
        VerifyStatus vs = find(entries, check.getName());
        VerifyOutcome outcome = obs.verify().get(check.getName());
        if (outcome != null && !vs.hasPassed()) {
          apply(vs, outcome, check);
          if (outcome.result() == CheckResult.Fail) {
            notes.add(Note.warning("VerifyCheckFailed", stageLabel(index) + ": check " + check.getName() + " failed ("
                + vs.failures() + "/" + check.failureLimitOrDefault() + "): " + vs.getMessage()));
          }
        }
        if (failed == null && vs.failures() >= check.failureLimitOrDefault()) {
          failed = "check " + check.getName() + " failed " + vs.failures() + " time(s) over keys "
              + range(from, stage.getKeyTo()) + ": " + vs.getMessage();
        }
      }
      if (failed != null) {
        stage.setState(StageState.Failed);
        stage.setMessage(failed);
        fail(VERIFY_FAILED, stageLabel(index) + ": " + failed);
        return;
      }
      if (evidencePause(entries, spec.verifyOrEmpty())) {
        return;
      }
      if (entries.stream().allMatch(VerifyStatus::hasPassed)) {
        stage.setState(StageState.Verified);
        stage.setVerifiedAt(Timestamps.format(now));
        notes.add(Note.normal("StageVerified", stageLabel(index) + " verified over keys " + range(from, stage.getKeyTo())
            + (entries.isEmpty() ? " (no verify checks)" : ": " + summary(entries))));
        stageStep();
        return;
      }
      next.setMessage(stageLabel(index) + ": verifying keys " + range(from, stage.getKeyTo()) + ": " + summary(entries));
      scheduleChecks(entries, spec.verifyOrEmpty());
    }

    /** NoData, Error and unreachable databases never pass and never fail: they pause until the evidence is back. */
    private boolean evidencePause(List<VerifyStatus> entries, List<VerifyCheck> checks) {
      VerifyStatus blind = null;
      for (VerifyStatus vs : entries) {
        if (!vs.hasPassed() && vs.getResult() != null && !vs.getResult().conclusive()) {
          blind = vs;
          break;
        }
      }
      if (blind != null) {
        VerifyOutcome outcome = obs.verify().get(blind.getName());
        if (outcome == null) {
          outcome = obs.rollbackVerify().get(blind.getName());
        }
        boolean unreachable = outcome != null ? outcome.unreachable()
            : DATABASE_UNREACHABLE.equals(next.getPauseReason());
        pause(unreachable ? DATABASE_UNREACHABLE : NO_EVIDENCE, "check " + blind.getName() + " has no conclusive result ("
            + blind.getResult() + "): " + blind.getMessage() + "; nothing is written until it has");
        scheduleChecks(entries, checks);
        return true;
      }
      if (next.getPauseReason() != null && EVIDENCE_PAUSES.contains(next.getPauseReason())) {
        resume("the checks are conclusive again");
      }
      return false;
    }

    private void scheduleChecks(List<VerifyStatus> entries, List<VerifyCheck> checks) {
      for (VerifyCheck check : checks) {
        VerifyStatus vs = find(entries, check.getName());
        if (vs == null || vs.hasPassed()) {
          continue;
        }
        Instant last = Timestamps.parse(vs.getEvaluatedAt());
        if (last == null) {
          waitForWork();
        } else {
          wakeUps.add(last.plus(interval(check)));
        }
      }
    }

    private void apply(VerifyStatus vs, VerifyOutcome outcome, VerifyCheck check) {
      vs.setEvaluations(vs.evaluationCount() + 1);
      vs.setEvaluatedAt(Timestamps.precise(now));
      vs.setResult(outcome.result());
      vs.setMessage(outcome.message());
      vs.setDuration(outcome.duration() == null ? null
          : String.format(Locale.ROOT, "%.3fs", outcome.duration().toMillis() / 1000.0));
      vs.setValue(outcome.value() == null ? null : number(outcome.value()));
      ComparisonResult c = outcome.comparison();
      if (c != null) {
        vs.setSourceRows(c.sourceRows());
        vs.setTargetRows(c.targetRows());
        vs.setMissing(c.missing());
        vs.setExtra(c.extra());
        vs.setChanged(c.changed());
        vs.setMissingSamples(new ArrayList<>(c.missingSamples()));
        vs.setExtraSamples(new ArrayList<>(c.extraSamples()));
        vs.setChangedSamples(new ArrayList<>(c.changedSamples()));
      }
      switch (outcome.result()) {
        case Pass -> {
          vs.setPassed(true);
          vs.setConsecutiveFailures(0);
        }
        case Fail -> vs.setConsecutiveFailures(vs.failures() + 1);
        default -> { }
      }
    }

    private void awaitApproval(StageProgress stage) {
      next.setCurrentStage(stage.getName());
      if (!AWAITING_APPROVAL.equals(next.getPauseReason())) {
        notes.add(Note.normal("AwaitingApproval", "stage " + stage.getName()
            + " is verified and waits for `stagegate.dev/action: approve`"));
      }
      next.setPauseReason(AWAITING_APPROVAL);
      next.setMessage("stage " + stage.getName() + " is verified; waiting for `stagegate.dev/action: approve`");
    }

    private void succeed() {
      next.setPhase(MigrationPhase.Succeeded);
      next.setPauseReason(null);
      next.setCurrentStage(null);
      next.setRowsMigrated(loadedRows());
      StageProgress last = next.getStages().get(next.getStages().size() - 1);
      next.setMessage(next.getRowsMigrated() + " rows migrated in " + next.getStages().size() + " stages over keys "
          + range(next.getStages().get(0).getKeyFrom(), last.getKeyTo())
          + (next.getVerify().isEmpty() ? "" : "; final verification: " + summary(next.getVerify())));
      notes.add(Note.normal("Succeeded", next.getMessage()));
    }

    // ----- actions

    private void readAction() {
      if (obs.action() == null) {
        next.setActionAwaitingRemoval(null);
        return;
      }
      if (obs.action().equals(next.getActionAwaitingRemoval())) {
        // Applied already, but its removal did not go through (the operator stopped, or the patch failed):
        // remove it again, never apply it twice.
        actionConsumed = true;
        return;
      }
      Optional<MigrationAction> parsed = MigrationAction.parse(obs.action());
      if (parsed.isEmpty()) {
        consume(null);
        notes.add(Note.warning("UnknownAction", "ignored `stagegate.dev/action: " + shorten(obs.action())
            + "`; expected one of approve, resume, retry-stage, abort"));
        return;
      }
      action = parsed.get();
    }

    private void applyAction() {
      if (action == null || actionConsumed) {
        return;
      }
      String pause = next.getPauseReason();
      switch (action) {
        case APPROVE -> {
          if (AWAITING_APPROVAL.equals(pause)) {
            consume("approve");
            next.getStages().stream().filter(s -> s.getName().equals(next.getCurrentStage())).findFirst()
                .ifPresent(s -> s.setApproved(true));
            next.setPauseReason(null);
          }
        }
        case RESUME -> {
          if (VERIFY_FAILED.equals(pause)) {
            consume("resume");
            next.getVerify().forEach(v -> v.setConsecutiveFailures(0));
            currentStage().ifPresent(s -> {
              s.setState(StageState.Loaded);
              s.setMessage(null);
            });
            resume("resumed by `stagegate.dev/action: resume`: evaluating the checks again");
            next.setFailureReason(null);
          }
        }
        case RETRY_STAGE -> {
          if (BACKUP_FAILED.equals(pause)) {
            consume("retry-stage");
            resume("retrying the backup");
            next.setFailureReason(null);
            createBackup(next.getBackup().attemptOrOne() + 1);
          } else if (WORKER_FAILED.equals(pause) || VERIFY_FAILED.equals(pause)) {
            consume("retry-stage");
            currentStage().ifPresent(s -> {
              s.setRetrying(true);
              s.setMessage("undoing the stage before loading it again (retry-stage)");
            });
            resume("retry-stage: undoing stage " + next.getCurrentStage() + ", then loading it again");
            next.setFailureReason(null);
          }
        }
        default -> { }
      }
      if (!actionConsumed) {
        consume(null);
        notes.add(Note.normal("ActionIgnored", "action '" + action.word() + "' does not apply "
            + (pause == null ? "in phase " + next.getPhase() : "while paused for " + pause)
            + (WORKER_FAILED.equals(pause) && action == MigrationAction.RESUME
                ? "; a failed Job cannot be resumed: use retry-stage or abort" : "")));
      }
    }

    private Optional<StageProgress> currentStage() {
      return next.getStages().stream().filter(s -> s.getName().equals(next.getCurrentStage())).findFirst();
    }

    private void consume(String applied) {
      actionConsumed = true;
      next.setActionAwaitingRemoval(obs.action());
      if (applied != null) {
        next.setLastAction(applied + " at " + Timestamps.format(now));
        notes.add(Note.normal("ActionApplied", "applied `stagegate.dev/action: " + applied + "`"));
      }
    }

    /** retry-stage: undo the failed stage, then load it again with the next attempt's Job. */
    private void retryStep(int index, StageProgress stage) {
      next.setPhase(MigrationPhase.Migrating);
      if (stage.getJob() == null || neverCreated(stage.getJob())) {
        int attempt = stage.getJob() == null ? 1 : stage.getJob().attemptOrOne() + 1;
        stage.setRetrying(null);
        stage.setMessage(null);
        startStage(index, attempt);
        return;
      }
      switch (undoStage(index, stage)) {
        case SUCCEEDED -> {
          int attempt = stage.getJob().attemptOrOne() + 1;
          stage.setRetrying(null);
          stage.setUndo(null);
          stage.setLoadedAt(null);
          stage.setMessage(null);
          next.setVerify(new ArrayList<>());
          next.setRowsMigrated(loadedRows());
          startStage(index, attempt);
        }
        case FAILED -> undoFailed(stage);
        default -> { }
      }
    }

    // ----- failure and rollback

    private void fail(String reason, String message) {
      if (spec.failurePolicy() == FailurePolicy.Pause) {
        if (!reason.equals(next.getPauseReason())) {
          notes.add(Note.warning(reason, message + "; paused (onFailure: Pause): annotate `stagegate.dev/action` with "
              + (VERIFY_FAILED.equals(reason) ? "resume, " : "") + "retry-stage or abort"));
        }
        next.setPauseReason(reason);
        next.setFailureReason(reason);
        next.setMessage(message);
        next.setPhase(MigrationPhase.Paused);
        return;
      }
      startRollback(reason, message);
    }

    private void startRollback(String reason, String message) {
      List<Integer> toUndo = stagesToUndo(next);
      next.setPauseReason(null);
      if (toUndo.isEmpty()) {
        terminalFailure(reason, message + "; nothing was written", true);
        return;
      }
      if (spec.getUndo() == null) {
        terminalFailure(reason, message + "; no spec.undo to roll back with: stages "
            + String.join(", ", toUndo.stream().map(i -> next.getStages().get(i).getName()).toList())
            + " stay loaded", true);
        return;
      }
      next.setFailureReason(reason);
      next.setRollback(new RollbackStatus(reason, message, Timestamps.format(now)));
      notes.add(Note.warning("RollingBack", "rolling back (" + reason + "): " + message + "; undoing stages "
          + String.join(", ", toUndo.stream().map(i -> next.getStages().get(i).getName()).toList())
          + ", newest first"));
      rollbackStep();
    }

    private void rollbackStep() {
      next.setPhase(MigrationPhase.RollingBack);
      if (action != null && !actionConsumed) {
        consume(null);
        notes.add(Note.normal("ActionIgnored", "action '" + action.word() + "' does not apply while rolling back"));
      }
      for (int index : stagesToUndo(next)) {
        StageProgress stage = next.getStages().get(index);
        next.setCurrentStage(stage.getName());
        switch (undoStage(index, stage)) {
          case SUCCEEDED -> { }
          case FAILED -> {
            undoFailed(stage);
            return;
          }
          default -> {
            return;
          }
        }
      }
      rollbackVerify();
    }

    private void undoFailed(StageProgress stage) {
      terminalFailure(UNDO_FAILED, "undo Job " + stage.getUndo().getName() + " of stage " + stage.getName()
          + " failed: " + stage.getUndo().getMessage() + "; the target may still hold keys "
          + range(stage.getKeyFrom(), stage.getKeyTo()) + ": fix it and annotate `stagegate.dev/action: retry-stage`",
          true);
    }

    /** Stops a running worker, then runs the stage's undo Job once. SUCCEEDED when the stage is undone. */
    private Tracked undoStage(int index, StageProgress stage) {
      JobRun worker = stage.getJob();
      if (worker.getState() == JobState.Running) {
        ObservedJob seen = obs.jobs().get(worker.getName());
        if (seen != null && !seen.finished()) {
          jobs.add(new JobChange.Delete(worker.getName()));
          next.setMessage("stopping worker Job " + worker.getName() + " of stage " + stage.getName() + " before undoing it");
          wakeUps.add(now.plus(Duration.ofSeconds(1)));
          return Tracked.WAITING;
        }
        if (seen != null) {
          worker.setState(seen.state());
          worker.setMessage(seen.message());
        } else {
          worker.setState(JobState.Cancelled);
        }
        worker.setFinishedAt(Timestamps.format(now));
      }
      JobRun undo = stage.getUndo();
      if (undo == null) {
        int run = stage.undoRunCount() + 1;
        String name = JobNames.stage(migration.getMetadata().getName(), stage.getName(), JobKind.UNDO, run);
        stage.setUndoRuns(run);
        stage.setUndo(new JobRun(name, run, Timestamps.format(now)));
        jobs.add(new JobChange.Create(JobKind.UNDO, index, name));
        next.setMessage("undoing stage " + stage.getName() + " (keys " + range(stage.getKeyFrom(), stage.getKeyTo())
            + ") with Job " + name);
        notes.add(Note.normal("UndoStarted", next.getMessage()));
        return Tracked.WAITING;
      }
      if (undo.getState() == JobState.Succeeded) {
        return Tracked.SUCCEEDED;
      }
      if (undo.getState() == JobState.Failed) {
        return Tracked.FAILED;
      }
      next.setMessage("undoing stage " + stage.getName() + " (keys " + range(stage.getKeyFrom(), stage.getKeyTo())
          + ") with Job " + undo.getName());
      Tracked tracked = track(undo, JobKind.UNDO, index);
      if (tracked == Tracked.SUCCEEDED) {
        stage.setState(StageState.Undone);
        stage.setUndoneAt(Timestamps.format(now));
        next.setRowsMigrated(loadedRows());
        notes.add(Note.normal("StageUndone", "stage " + stage.getName() + " undone by Job " + undo.getName()
            + " (keys " + range(stage.getKeyFrom(), stage.getKeyTo()) + ")"));
      }
      return tracked == Tracked.LOST ? Tracked.FAILED : tracked;
    }

    /** After every undo, each compare check's target must hold nothing over the undone keys. */
    private void rollbackVerify() {
      RollbackStatus rollback = next.getRollback();
      long[] range = undoneRange(next).orElseThrow();
      List<VerifyCheck> compares = spec.verifyOrEmpty().stream().filter(c -> c.getCompare() != null).toList();
      List<VerifyStatus> entries = new ArrayList<>();
      for (VerifyCheck check : compares) {
        VerifyStatus vs = find(rollback.getChecks(), check.getName());
        if (vs == null || vs.getKeyTo() != range[1]) {
          vs = new VerifyStatus(check.getName(), "rollback", range[0], range[1]);
        }
        VerifyOutcome outcome = obs.rollbackVerify().get(check.getName());
        if (outcome != null && !vs.hasPassed()) {
          apply(vs, outcome, check);
        }
        entries.add(vs);
      }
      rollback.setChecks(entries);
      next.setCurrentStage(null);
      for (VerifyStatus vs : entries) {
        if (vs.failures() > 0) {
          rollback.setFinishedAt(Timestamps.format(now));
          terminalFailure(ROLLBACK_VERIFY_FAILED, "every stage was undone but check " + vs.getName()
              + " still finds rows in the target over keys " + range(range[0], range[1]) + ": " + vs.getMessage(), true);
          return;
        }
      }
      if (evidencePause(entries, compares)) {
        return;
      }
      if (entries.stream().allMatch(VerifyStatus::hasPassed)) {
        rollback.setFinishedAt(Timestamps.format(now));
        next.setPhase(MigrationPhase.RolledBack);
        next.setPauseReason(null);
        next.setMessage("rolled back (" + rollback.getReason() + ": " + rollback.getMessage() + "); "
            + (entries.isEmpty() ? "no compare check to verify the target with"
                : "the target holds no row over keys " + range(range[0], range[1]) + " again"));
        notes.add(Note.warning("RolledBack", next.getMessage()));
        return;
      }
      next.setMessage("every loaded stage was undone; checking that the target holds no row over keys "
          + range(range[0], range[1]));
      scheduleChecks(entries, compares);
    }

    private void terminalFailure(String reason, String message, boolean note) {
      next.setPhase(MigrationPhase.Failed);
      next.setFailureReason(reason);
      next.setPauseReason(null);
      next.setMessage(message);
      if (note) {
        notes.add(Note.warning(reason, message));
      }
    }

    // ----- Jobs

    private enum Tracked { WAITING, SUCCEEDED, FAILED, LOST }

    /**
     * Follows a Job the status says was started. Absent and never seen: created (again; a create of an
     * existing name is harmless). Absent after it was seen: lost, never recreated, so it cannot run twice.
     */
    private Tracked track(JobRun run, JobKind kind, int stage) {
      ObservedJob seen = obs.jobs().get(run.getName());
      if (seen == null) {
        if (run.getUid() == null) {
          jobs.add(new JobChange.Create(kind, stage, run.getName()));
          waitForWork();
          return Tracked.WAITING;
        }
        run.setState(JobState.Failed);
        run.setFinishedAt(Timestamps.format(now));
        run.setMessage("the Job disappeared before it finished; it is not started again");
        return Tracked.LOST;
      }
      if (run.getUid() == null) {
        run.setUid(seen.uid());
      } else if (!run.getUid().equals(seen.uid())) {
        run.setState(JobState.Failed);
        run.setFinishedAt(Timestamps.format(now));
        run.setMessage("the Job was replaced by another of the same name (uid " + seen.uid() + "); it is not trusted");
        return Tracked.LOST;
      }
      switch (seen.state()) {
        case Succeeded -> {
          run.setState(JobState.Succeeded);
          run.setFinishedAt(Timestamps.format(now));
          run.setMessage(seen.message());
          return Tracked.SUCCEEDED;
        }
        case Failed -> {
          run.setState(JobState.Failed);
          run.setFinishedAt(Timestamps.format(now));
          run.setMessage(seen.message());
          return Tracked.FAILED;
        }
        default -> {
          wakeUps.add(now.plus(MAX_REQUEUE));
          return Tracked.WAITING;
        }
      }
    }

    // ----- pauses and the finished status

    private void pause(String reason, String message) {
      if (!reason.equals(next.getPauseReason())) {
        notes.add(Note.warning(reason, message));
      }
      next.setPauseReason(reason);
      next.setMessage(message);
    }

    private void resume(String why) {
      if (next.getPauseReason() != null) {
        notes.add(Note.normal("Resumed", why));
      }
      next.setPauseReason(null);
    }

    private void waitForWork() {
      waitingForWork = true;
    }

    private MigrationPlan finish() {
      if (action != null && !actionConsumed) {
        consume(null);
        notes.add(Note.normal("ActionIgnored", "action '" + action.word() + "' does not apply in phase "
            + next.getPhase()));
      }
      MigrationPhase phase = next.getPhase();
      if (!terminal(phase) && next.getPauseReason() != null) {
        next.setPhase(MigrationPhase.Paused);
        phase = MigrationPhase.Paused;
      }
      boolean ready = phase == MigrationPhase.Succeeded;
      boolean reconciling = !terminal(phase);
      boolean stalled = phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed
          || (phase == MigrationPhase.Paused && !AWAITING_APPROVAL.equals(next.getPauseReason()));
      String reason = switch (phase) {
        case Failed -> next.getFailureReason();
        case Paused -> next.getPauseReason() != null ? next.getPauseReason() : "Paused";
        default -> phase.name();
      };
      next.setConditions(Conditions.kstatus(next.getConditions(), ready, reconciling, stalled, reason,
          next.getMessage(), obs.generation(), now));
      return new MigrationPlan(next, jobs.stream().distinct().toList(), notes, requeue(phase), actionConsumed);
    }

    private Duration requeue(MigrationPhase phase) {
      if (terminal(phase)) {
        return IDLE_REQUEUE;
      }
      Duration wait = wakeUps.stream().min(Comparator.naturalOrder())
          .map(at -> Duration.between(now, at)).orElse(AWAITING_APPROVAL.equals(next.getPauseReason())
              || failurePause(next.getPauseReason()) ? IDLE_REQUEUE : MAX_REQUEUE);
      if (waitingForWork && wait.compareTo(WORK_POLL) > 0) {
        wait = WORK_POLL;
      }
      if (wait.compareTo(MIN_REQUEUE) < 0) {
        return MIN_REQUEUE;
      }
      return wait.compareTo(IDLE_REQUEUE) > 0 ? IDLE_REQUEUE : wait;
    }

    // ----- wording

    private long loadedRows() {
      return next.getStages().stream()
          .filter(s -> s.getState() == StageState.Loaded || s.getState() == StageState.Verified)
          .mapToLong(s -> s.getRows() == null ? 0 : s.getRows()).sum();
    }

    private String stageLabel(int index) {
      return "stage " + next.getStages().get(index).getName() + " (" + (index + 1) + "/" + next.getStages().size() + ")";
    }

    private String summary(List<VerifyStatus> entries) {
      List<String> parts = new ArrayList<>();
      for (VerifyStatus vs : entries) {
        StringBuilder sb = new StringBuilder(vs.getName()).append(' ')
            .append(vs.getResult() == null ? "pending" : vs.getResult().name());
        if (vs.getMissing() != null) {
          sb.append(" (").append(vs.getSourceRows()).append('/').append(vs.getTargetRows()).append(" rows, ")
              .append(vs.getMissing()).append(" missing, ").append(vs.getExtra()).append(" extra, ")
              .append(vs.getChanged()).append(" changed)");
        } else if (vs.getValue() != null) {
          sb.append(" (").append(vs.getValue()).append(')');
        }
        parts.add(sb.toString());
      }
      return String.join(", ", parts);
    }

    private String shorten(String text) {
      return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
  }

  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
  }
}
