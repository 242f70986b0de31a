package dev.stagegate.migration;

import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.GuardOutcome;
import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.JobKind;
import dev.stagegate.migration.plan.JobNames;
import dev.stagegate.migration.plan.MigrationObservation;
import dev.stagegate.migration.plan.MigrationPlan;
import dev.stagegate.migration.plan.MigrationPlanner;
import dev.stagegate.migration.plan.MigrationValidator;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import dev.stagegate.migration.plan.VerifyOutcome;
import dev.stagegate.migration.plan.WorkRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.common.Note;
import dev.stagegate.datacompare.ChecksumMode;
import dev.stagegate.datacompare.ComparisonResult;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.testing.DataMigrations;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every transition of the planner, with a fake clock: no database, no cluster, no sleeps. */
class MigrationPlannerTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Boundaries BOUNDS = new Boundaries(250_000, List.of(
      new StageRange(1, 2_501, 2_500), new StageRange(2_501, 25_001, 22_500), new StageRange(25_001, 250_001, 225_000)));
  static final List<GuardOutcome> GUARDS_PASS = List.of(
      new GuardOutcome("source-is-production", CheckResult.Pass, "members_prod", "= members_prod", "returned members_prod"),
      new GuardOutcome("no-test-fixtures", CheckResult.Pass, "0", "<= 0", "returned 0"));

  private final MigrationPlanner planner = new MigrationPlanner(Duration.ofSeconds(5));
  private DataMigration migration;
  private Instant now;
  private long generation;
  private final Map<String, ObservedJob> jobs = new HashMap<>();
  private MigrationPlan plan;

  @BeforeEach
  void setUp() {
    now = T0;
    generation = 1;
    migration = DataMigrations.members2025("portal").build();
    migration.getMetadata().setUid("0123456789abcdef");
  }

  // ----- driving the planner

  private MigrationPlan step(MigrationObservation observation) {
    plan = planner.plan(migration, observation, now);
    migration.setStatus(plan.status());
    return plan;
  }

  private MigrationPlan step() {
    return step(observe(null, null, Map.of(), Map.of()));
  }

  private MigrationPlan act(String action) {
    return step(observe(action, null, Map.of(), Map.of()));
  }

  private MigrationObservation observe(String action, PreflightOutcome preflight, Map<String, VerifyOutcome> verify,
      Map<String, VerifyOutcome> rollback) {
    return new MigrationObservation(generation, action, Map.copyOf(jobs), preflight, verify, rollback);
  }

  private MigrationPlan preflight(PreflightOutcome outcome) {
    return step(observe(null, outcome, Map.of(), Map.of()));
  }

  private MigrationPlan verify(VerifyOutcome outcome) {
    return step(observe(null, null, Map.of("members-match", outcome), Map.of()));
  }

  private MigrationPlan rollbackCheck(VerifyOutcome outcome) {
    return step(observe(null, null, Map.of(), Map.of("members-match", outcome)));
  }

  private void running(String job) {
    jobs.put(job, new ObservedJob(job, "uid-" + job, JobState.Running, null));
  }

  private void succeeded(String job) {
    jobs.put(job, new ObservedJob(job, "uid-" + job, JobState.Succeeded, "Reached expected number of succeeded pods"));
  }

  private void failed(String job) {
    jobs.put(job, new ObservedJob(job, "uid-" + job, JobState.Failed, "BackoffLimitExceeded"));
  }

  private void later(Duration d) {
    now = now.plus(d);
  }

  private DataMigrationStatus status() {
    return migration.getStatus();
  }

  private static ComparisonResult clean(long from, long to, long rows) {
    return new ComparisonResult(KeyRange.of(from, to), rows, rows, 0, 0, 0, List.of(), List.of(), List.of(),
        Duration.ofMillis(850), 4, 0, ChecksumMode.POSTGRES_NATIVE);
  }

  private static ComparisonResult fixtures(long from, long to, long rows) {
    return new ComparisonResult(KeyRange.of(from, to), rows, rows, 0, 0, rows, List.of(), List.of(),
        List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), Duration.ofMillis(900), 6, 2 * rows, ChecksumMode.POSTGRES_NATIVE);
  }

  private static VerifyOutcome pass(ComparisonResult c) {
    return new VerifyOutcome(CheckResult.Pass, false, c.summary(), null, c, c.duration());
  }

  private static VerifyOutcome fail(ComparisonResult c) {
    return new VerifyOutcome(CheckResult.Fail, false, c.summary(), null, c, c.duration());
  }

  private static VerifyOutcome emptyTarget(long from, long to) {
    ComparisonResult c = new ComparisonResult(KeyRange.of(from, to), 0, 0, 0, 0, 0, List.of(), List.of(), List.of(),
        Duration.ofMillis(20), 2, 0, ChecksumMode.PORTABLE);
    return new VerifyOutcome(CheckResult.Pass, false, "the target holds no row", null, c, c.duration());
  }

  private List<String> reasons() {
    return plan.notes().stream().map(Note::reason).toList();
  }

  private Condition condition(String type) {
    return status().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static JobChange.Create create(JobKind kind, int stage, String name) {
    return new JobChange.Create(kind, stage, name);
  }

  /** Guards and boundaries done; the pilot's worker Job requested. */
  private void started() {
    step();
    preflight(new PreflightOutcome.Ready(GUARDS_PASS, BOUNDS));
  }

  /** The pilot's Job succeeded: the stage is Loaded and its checks are due. */
  private void pilotLoaded() {
    started();
    succeeded("members-2025-pilot-load");
    step();
  }

  /** Pilot and ramp loaded and verified clean: the Manual ramp now waits for approve. */
  private void rampVerified() {
    pilotLoaded();
    verify(pass(clean(1, 2_501, 2_500)));
    succeeded("members-2025-ramp-load");
    step();
    verify(pass(clean(1, 25_001, 25_000)));
  }

  private void edit(UnaryOperator<DataMigration> change) {
    DataMigrationStatus keep = migration.getStatus();
    migration = change.apply(migration);
    migration.setStatus(keep);
    generation++;
  }

  // ----- before anything is written

  @Nested
  @DisplayName("before anything is written")
  class BeforeWrites {

    @Test
    @DisplayName("given a new migration, then the preflight is due and, until it answers, the phase is Guarding with no Job")
    void newMigrationAsksForThePreflight() {
      assertThat(planner.due(migration, now)).containsExactly(new WorkRequest.Preflight(0));
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Guarding);
      assertThat(plan.jobs()).isEmpty();
      assertThat(condition("Reconciling").getStatus()).isEqualTo("True");
      assertThat(plan.requeueAfter()).isLessThanOrEqualTo(MigrationPlanner.WORK_POLL);
    }

    @Test
    @DisplayName("given passing guards, then the boundaries are written with the first stage's Job, which is the only write requested")
    void readyFixesBoundariesAndStartsThePilot() {
      started();
      assertThat(status().getStages()).extracting(s -> s.getKeyFrom() + ".." + s.getKeyTo() + ":" + s.getRows())
          .containsExactly("1..2501:2500", "2501..25001:22500", "25001..250001:225000");
      assertThat(status().getRowsTotal()).isEqualTo(250_000);
      assertThat(status().getGuards()).extracting(g -> g.getName() + "=" + g.getResult())
          .containsExactly("source-is-production=Pass", "no-test-fixtures=Pass");
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 0, "members-2025-pilot-load"));
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Running);
      assertThat(status().getStages().get(0).getJob().getName()).isEqualTo("members-2025-pilot-load");
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Migrating);
      assertThat(status().getRunId()).isEqualTo("01234567-1");
      assertThat(reasons()).containsExactly("GuardsPassed", "BoundariesFixed", "StageStarted");
      assertThat(planner.due(migration, now)).as("no preflight again once the boundaries are fixed").isEmpty();
    }

    @Test
    @DisplayName("given a failing guard, then the migration is Failed with GuardFailed naming the guard, what it expected and saw, and nothing is created")
    void failingGuardStopsEverything() {
      step();
      preflight(new PreflightOutcome.Refused(MigrationReasons.Cause.GuardFailed,
          "guard source-is-production failed: expected = members_prod, saw members_uat", List.of(
              new GuardOutcome("source-is-production", CheckResult.Fail, "members_uat", "= members_prod", "expected..."),
              new GuardOutcome("no-test-fixtures", CheckResult.Fail, "250000", "<= 0", "expected..."))));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getMessage()).contains("source-is-production", "members_prod", "members_uat");
      assertThat(condition("Stalled").getReason()).isEqualTo("GuardFailed");
      assertThat(condition("Ready").getStatus()).isEqualTo("False");
      assertThat(status().getGuards()).extracting(g -> g.getObserved()).containsExactly("members_uat", "250000");
      assertThat(status().getStages()).isEmpty();
      assertThat(plan.jobs()).isEmpty();
      assertThat(planner.due(migration, now)).isEmpty();
      later(Duration.ofMinutes(10));
      step();
      assertThat(plan.jobs()).isEmpty();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
    }

    @Test
    @DisplayName("given a failed guard, when the spec changes or retry-stage is annotated, then the checks start over")
    void failedGuardCanStartOver() {
      step();
      preflight(new PreflightOutcome.Refused(MigrationReasons.Cause.GuardFailed, "guard x failed", List.of()));
      act("retry-stage");
      assertThat(plan.actionConsumed()).isTrue();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Guarding);
      assertThat(planner.due(migration, now)).containsExactly(new WorkRequest.Preflight(1));
      preflight(new PreflightOutcome.Refused(MigrationReasons.Cause.GuardFailed, "guard x failed", List.of()));

      edit(m -> m);
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Guarding);
      assertThat(planner.due(migration, now)).containsExactly(new WorkRequest.Preflight(2));
    }

    @Test
    @DisplayName("given an unreachable database, then the migration pauses without writing, and asks again only after the retry delay")
    void unreachableDatabasePauses() {
      step();
      preflight(new PreflightOutcome.Blocked(MigrationReasons.Cause.DatabaseUnreachable, "cannot connect to the source database", List.of()));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(condition("Stalled").getReason()).isEqualTo("DatabaseUnreachable");
      assertThat(plan.jobs()).isEmpty();
      assertThat(planner.due(migration, now.plus(Duration.ofSeconds(4)))).isEmpty();
      later(Duration.ofSeconds(5));
      assertThat(planner.due(migration, now)).containsExactly(new WorkRequest.Preflight(1));
      preflight(new PreflightOutcome.Ready(GUARDS_PASS, BOUNDS));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Migrating);
      assertThat(status().getPauseReason()).isNull();
      assertThat(reasons()).contains("Resumed");
    }

    @Test
    @DisplayName("given a spec the schema refuses (a column missing on one side), then the migration is Failed with InvalidSpec")
    void schemaProblemsAreInvalidSpec() {
      step();
      preflight(new PreflightOutcome.Invalid(List.of(
          "spec.verify[0].compare.columns: plan_code does not exist in table members of the target database (Secret portal-db)")));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(condition("Stalled").getReason()).isEqualTo("InvalidSpec");
      assertThat(status().getMessage()).contains("spec.verify[0].compare.columns", "plan_code");
      assertThat(plan.jobs()).isEmpty();
    }

    @Test
    @DisplayName("given an abort before the boundaries, then it is Failed (Aborted) and nothing was written")
    void abortBeforeWrites() {
      step();
      act("abort");
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getFailureReason()).isEqualTo("Aborted");
      assertThat(plan.jobs()).isEmpty();
    }
  }

  @Nested
  @DisplayName("invalid specs")
  class InvalidSpecs {

    private void assertInvalid(String field) {
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getFailureReason()).isEqualTo("InvalidSpec");
      assertThat(condition("Stalled").getReason()).isEqualTo("InvalidSpec");
      assertThat(status().getMessage()).contains(field);
      assertThat(plan.jobs()).isEmpty();
      assertThat(planner.due(migration, now)).as("no database is touched").isEmpty();
    }

    @Test
    @DisplayName("no stages")
    void noStages() {
      migration.getSpec().getStages().clear();
      assertInvalid("spec.stages: at least one stage");
    }

    @Test
    @DisplayName("percents not increasing")
    void percentsNotIncreasing() {
      migration.getSpec().getStages().get(1).setPercent(1);
      assertInvalid("spec.stages[1].percent");
    }

    @Test
    @DisplayName("last stage below 100")
    void lastNotHundred() {
      migration.getSpec().getStages().get(2).setPercent(90);
      assertInvalid("spec.stages[2].percent: the last stage must have percent 100");
    }

    @Test
    @DisplayName("missing worker")
    void missingWorker() {
      migration.getSpec().setWorker(null);
      assertInvalid("spec.worker: is required");
    }

    @Test
    @DisplayName("a Secret in another namespace")
    void crossNamespaceSecret() {
      SecretRef ref = new SecretRef("legacy-members-db");
      ref.setNamespace("other");
      migration.getSpec().getSource().setSecretRef(ref);
      assertInvalid("spec.source.secretRef.namespace");
    }

    @Test
    @DisplayName("a partition key that is not a plain identifier")
    void badIdentifier() {
      migration.getSpec().getPartition().setKey("member_id; drop table members");
      assertInvalid("spec.partition.key");
    }

    @Test
    @DisplayName("no undo with onFailure: Rollback")
    void missingUndo() {
      migration.getSpec().setUndo(null);
      assertInvalid("spec.undo: is required with onFailure: Rollback");
    }
  }

  @Nested
  @DisplayName("the stages")
  class Stages {

    @Test
    @DisplayName("given the pilot's Job was requested, when the cache does not show it yet, then it is requested again (a create of the same name is harmless)")
    void absentJobWithoutUidIsRequestedAgain() {
      started();
      step();
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 0, "members-2025-pilot-load"));
    }

    @Test
    @DisplayName("given the pilot's Job runs, then its uid is recorded and nothing else is created")
    void runningJobIsFollowed() {
      started();
      running("members-2025-pilot-load");
      step();
      assertThat(plan.jobs()).isEmpty();
      assertThat(status().getStages().get(0).getJob().getUid()).isEqualTo("uid-members-2025-pilot-load");
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Migrating);
      assertThat(status().getMessage()).contains("pilot", "[1, 2501)");
    }

    @Test
    @DisplayName("given a Job that was seen, when it disappears before finishing, then it is never created again: the stage fails")
    void lostJobIsNotRecreated() {
      started();
      running("members-2025-pilot-load");
      step();
      jobs.clear();
      step();
      assertThat(plan.jobs()).noneMatch(j -> j.name().equals("members-2025-pilot-load"));
      assertThat(status().getFailureReason()).isEqualTo("WorkerFailed");
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RollingBack);
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
    }

    @Test
    @DisplayName("given the pilot's Job succeeded, then the stage is Loaded and each verify check is due over [first key, end of pilot)")
    void loadedStageIsVerified() {
      pilotLoaded();
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Loaded);
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Verifying);
      assertThat(status().getRowsMigrated()).isEqualTo(2_500);
      assertThat(plan.jobs()).isEmpty();
      List<WorkRequest> due = planner.due(migration, now);
      assertThat(due).hasSize(1);
      WorkRequest.Verify v = (WorkRequest.Verify) due.get(0);
      assertThat(v.keys().fromLong()).isEqualTo(1);
      assertThat(v.keys().toLong()).isEqualTo(2_501);
      assertThat(v.key()).isEqualTo("verify/pilot/1/members-match/0");
    }

    @Test
    @DisplayName("given a clean compare, then the stage is Verified and the next stage's Job is requested in the same turn")
    void verifiedStageStartsTheNext() {
      pilotLoaded();
      verify(pass(clean(1, 2_501, 2_500)));
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Verified);
      assertThat(status().getStages().get(1).getState()).isEqualTo(StageState.Running);
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 1, "members-2025-ramp-load"));
      assertThat(reasons()).containsExactly("StageVerified", "StageStarted");
      assertThat(status().getVerify().get(0).getSourceRows()).isEqualTo(2_500);
      assertThat(status().getVerify().get(0).getDuration()).isEqualTo("0.850s");
    }

    @Test
    @DisplayName("given a Manual stage, when it is verified, then the migration waits for approve, which starts the next stage once")
    void manualStageWaitsForApproval() {
      rampVerified();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(status().getPauseReason()).isEqualTo("AwaitingApproval");
      assertThat(condition("Stalled").getStatus()).as("waiting for a person is not stalled").isEqualTo("False");
      assertThat(plan.jobs()).isEmpty();
      later(Duration.ofMinutes(30));
      step();
      assertThat(plan.jobs()).isEmpty();
      assertThat(planner.due(migration, now)).isEmpty();

      act("approve");
      assertThat(plan.actionConsumed()).isTrue();
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 2, "members-2025-full-load"));
      assertThat(status().getStages().get(1).getApproved()).isTrue();
      running("members-2025-full-load");
      step(); // the operator sees the annotation removed
      act("approve");
      assertThat(plan.jobs()).as("a second approve does nothing").isEmpty();
      assertThat(reasons()).contains("ActionIgnored");
    }

    @Test
    @DisplayName("given `approve` applied, when its annotation is still there on the next turns (the removal failed), then it is removed again and never applied twice")
    void anActionWhoseRemovalFailedIsNotReplayed() {
      rampVerified();
      act("approve");
      assertThat(reasons()).contains("ActionApplied");
      running("members-2025-full-load");

      act("approve");
      assertThat(plan.actionConsumed()).as("removed again").isTrue();
      assertThat(plan.notes()).as("silently: it was applied already").isEmpty();
      assertThat(plan.jobs()).isEmpty();
      assertThat(status().getActionAwaitingRemoval()).isEqualTo("approve");

      step();
      assertThat(status().getActionAwaitingRemoval()).as("seen removed").isNull();
    }

    @Test
    @DisplayName("given every stage verified, then the migration Succeeded and is Ready")
    void lastStageSucceeds() {
      rampVerified();
      act("approve");
      succeeded("members-2025-full-load");
      step();
      verify(pass(clean(1, 250_001, 250_000)));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Succeeded);
      assertThat(condition("Ready").getStatus()).isEqualTo("True");
      assertThat(status().getRowsMigrated()).isEqualTo(250_000);
      assertThat(status().getMessage()).contains("250000 rows migrated", "members-match Pass");
      assertThat(plan.requeueAfter()).isEqualTo(MigrationPlanner.IDLE_REQUEUE);
      step();
      assertThat(plan.jobs()).isEmpty();
      assertThat(plan.notes()).isEmpty();
    }

    @Test
    @DisplayName("given a backup, then it runs before the first stage and the pilot starts only once it succeeded")
    void backupRunsFirst() {
      migration.getSpec().setBackup(DataMigrations.job("backup", List.of()));
      started();
      assertThat(plan.jobs()).containsExactly(create(JobKind.BACKUP, -1, "members-2025-backup"));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.BackingUp);
      running("members-2025-backup");
      step();
      assertThat(plan.jobs()).isEmpty();
      succeeded("members-2025-backup");
      step();
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 0, "members-2025-pilot-load"));
      assertThat(reasons()).containsExactly("BackupCompleted", "StageStarted");
    }

    @Test
    @DisplayName("given a failing backup with onFailure: Rollback, then the migration Failed and nothing was loaded")
    void failedBackupFails() {
      migration.getSpec().setBackup(DataMigrations.job("backup", List.of()));
      started();
      failed("members-2025-backup");
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getFailureReason()).isEqualTo("BackupFailed");
      assertThat(status().getMessage()).contains("nothing was written");
      assertThat(plan.jobs()).isEmpty();
    }

    @Test
    @DisplayName("given no verify checks, then a loaded stage is verified at once and the next stage starts")
    void noChecksVerifyAtOnce() {
      migration = DataMigrations.members2025("portal").noVerify().build();
      pilotLoaded();
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Verified);
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 1, "members-2025-ramp-load"));
      assertThat(planner.due(migration, now)).isEmpty();
    }

    @Test
    @DisplayName("given the API server refuses the pilot's Job, then nothing ran: no undo, the migration Failed (WorkerFailed) with the reason")
    void refusedJobNeedsNoUndo() {
      started();
      jobs.put("members-2025-pilot-load", new ObservedJob("members-2025-pilot-load", null, JobState.Failed,
          "the API server refused the Job: spec.template.spec.containers[0].image: Required value"));
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getFailureReason()).isEqualTo("WorkerFailed");
      assertThat(status().getMessage()).contains("image: Required value", "nothing was written");
      assertThat(plan.jobs()).isEmpty();
    }

    @Test
    @DisplayName("given the fixed boundaries, when spec.stages changes, then the migration pauses and starts nothing")
    void changedStagesPause() {
      pilotLoaded();
      verify(pass(clean(1, 2_501, 2_500)));
      edit(m -> {
        m.getSpec().getStages().get(1).setPercent(20);
        return m;
      });
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(status().getPauseReason()).isEqualTo("SpecChanged");
      assertThat(plan.jobs()).isEmpty();
      edit(m -> {
        m.getSpec().getStages().get(1).setPercent(10);
        return m;
      });
      step();
      assertThat(status().getPauseReason()).isNull();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Migrating);
    }
  }

  @Nested
  @DisplayName("verification")
  class Verification {

    @Test
    @DisplayName("given a check with failureLimit 2, when it fails once, then it is evaluated again after its interval and fails the stage the second time")
    void failureLimitCounts() {
      migration = DataMigrations.members2025("portal").noVerify()
          .compare("members-match", "members", "members", DataMigrations.MEMBER_COLUMNS, 0, 2).build();
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Verifying);
      assertThat(status().getVerify().get(0).getConsecutiveFailures()).isEqualTo(1);
      assertThat(reasons()).containsExactly("VerifyCheckFailed");
      assertThat(planner.due(migration, now)).isEmpty();
      later(Duration.ofSeconds(1));
      assertThat(planner.due(migration, now)).extracting(WorkRequest::key)
          .containsExactly("verify/pilot/1/members-match/1");
      verify(fail(fixtures(1, 2_501, 2_500)));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RollingBack);
    }

    @Test
    @DisplayName("given NoData or an error, then the migration pauses (stalled, NoEvidence) without counting a failure or writing, and continues when evidence returns")
    void noEvidencePauses() {
      pilotLoaded();
      verify(VerifyOutcome.error("compare failed: source: statement timeout", Duration.ofSeconds(10)));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(status().getPauseReason()).isEqualTo("NoEvidence");
      assertThat(condition("Stalled").getStatus()).isEqualTo("True");
      assertThat(status().getVerify().get(0).getConsecutiveFailures()).isZero();
      assertThat(plan.jobs()).isEmpty();
      later(Duration.ofSeconds(1));
      assertThat(planner.due(migration, now)).hasSize(1);
      verify(pass(clean(1, 2_501, 2_500)));
      assertThat(status().getPauseReason()).isNull();
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Verified);
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 1, "members-2025-ramp-load"));
    }

    @Test
    @DisplayName("given an unreachable database during verify, then the pause says DatabaseUnreachable and nothing rolls back")
    void unreachableDuringVerify() {
      pilotLoaded();
      verify(VerifyOutcome.unreachable("cannot connect to the target database (Secret portal-db)", Duration.ZERO));
      assertThat(status().getPauseReason()).isEqualTo("DatabaseUnreachable");
      assertThat(status().getRollback()).isNull();
      assertThat(plan.jobs()).isEmpty();
      later(Duration.ofMinutes(30));
      verify(VerifyOutcome.unreachable("cannot connect to the target database (Secret portal-db)", Duration.ZERO));
      assertThat(status().getRollback()).as("an outage never triggers a rollback by itself").isNull();
    }

    @Test
    @DisplayName("given a Prometheus check answering NoData, then it is not a pass")
    void prometheusNoDataIsNotAPass() {
      migration = DataMigrations.members2025("portal").noVerify()
          .prometheusCheck("loader-errors", "sum(x{migration=\"{{name}}\"})", 0, 1).build();
      pilotLoaded();
      step(observe(null, null, Map.of("loader-errors",
          new VerifyOutcome(CheckResult.NoData, false, "query returned no series", null, null, Duration.ZERO)), Map.of()));
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Loaded);
      assertThat(status().getPauseReason()).isEqualTo("NoEvidence");
      assertThat(plan.jobs()).isEmpty();
    }

    @Test
    @DisplayName("given a verify query Prometheus refuses, then the migration is held with InvalidQuery (Stalled, one Warning), no failure counted, nothing asked again, loaded or undone until the spec changes; then the check is asked at once and the stage goes on")
    void refusedQueryHoldsUntilTheSpecChanges() {
      migration = DataMigrations.members2025("portal").noVerify()
          .prometheusCheck("loader-errors", "sum(loader_records_failed_total", 0, 1).build();
      migration.getMetadata().setGeneration(generation);
      pilotLoaded();
      step(observe(null, null, Map.of("loader-errors", VerifyOutcome.invalidQuery("invalid query:"
          + " spec.verify[0].prometheus.query (check 'loader-errors'): Prometheus refused the query: HTTP 400: bad_data:"
          + " parse error: unclosed left parenthesis", Duration.ZERO)), Map.of()));

      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(status().getPauseReason()).isEqualTo("InvalidQuery");
      assertThat(status().getMessage()).startsWith("invalid query: spec.verify[0].prometheus.query (check 'loader-errors')");
      assertThat(condition("Stalled").getStatus()).isEqualTo("True");
      assertThat(condition("Stalled").getReason()).isEqualTo("InvalidQuery");
      assertThat(reasons()).containsExactly("InvalidQuery");
      assertThat(status().getVerify().get(0).getConsecutiveFailures()).isZero();
      assertThat(plan.jobs()).isEmpty();

      later(Duration.ofMinutes(10));
      assertThat(planner.due(migration, now)).as("nothing asked again at the same generation").isEmpty();
      step();
      assertThat(status().getPauseReason()).isEqualTo("InvalidQuery");
      assertThat(status().getRollback()).isNull();
      assertThat(reasons()).isEmpty();
      assertThat(plan.jobs()).isEmpty();
      act("resume");
      assertThat(status().getPauseReason()).as("only a spec change lifts the hold").isEqualTo("InvalidQuery");

      edit(m -> {
        m.getSpec().getVerify().get(0).getPrometheus().setQuery("sum(loader_records_failed_total)");
        return m;
      });
      migration.getMetadata().setGeneration(generation);
      assertThat(planner.due(migration, now)).hasSize(1);
      step();
      assertThat(status().getPauseReason()).isNull();
      assertThat(reasons()).contains("Resumed");
      step(observe(null, null, Map.of("loader-errors",
          new VerifyOutcome(CheckResult.Pass, false, "0 <= 0", 0.0, null, Duration.ZERO)), Map.of()));
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Verified);
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 1, "members-2025-ramp-load"));
    }
  }

  @Nested
  @DisplayName("rollback")
  class Rollback {

    @Test
    @DisplayName("given fixtures in the pilot, when verify fails, then only the pilot is undone, the rollback check runs over the pilot's keys, and it is RolledBack")
    void failedPilotIsUndone() {
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RollingBack);
      assertThat(status().getFailureReason()).isEqualTo("VerifyFailed");
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Failed);
      assertThat(status().getVerify().get(0).getChangedSamples()).hasSize(10);
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
      assertThat(reasons()).containsExactly("VerifyCheckFailed", "RollingBack", "UndoStarted");
      assertThat(planner.due(migration, now)).as("no rollback check before the undo").isEmpty();

      succeeded("members-2025-pilot-undo");
      step();
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Undone);
      assertThat(planner.due(migration, now)).extracting(WorkRequest::key)
          .containsExactly("rollback/members-match/1-2501/0");
      rollbackCheck(emptyTarget(1, 2_501));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RolledBack);
      assertThat(condition("Stalled").getReason()).isEqualTo("RolledBack");
      assertThat(status().getRollback().getVerified()).isTrue();
      assertThat(status().getRollback().getChecks().get(0).getResult()).isEqualTo(CheckResult.Pass);
      assertThat(status().getMessage()).contains("[1, 2501)");
      assertThat(status().getStages()).extracting(s -> s.getJob() == null ? "-" : s.getJob().getName())
          .as("nothing past the pilot was ever requested").containsExactly("members-2025-pilot-load", "-", "-");
    }

    @Test
    @DisplayName("given three loaded stages, when the last fails, then they are undone one at a time, newest first")
    void undoInReverseOrder() {
      rampVerified();
      act("approve");
      failed("members-2025-full-load");
      step();
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 2, "members-2025-full-undo"));
      succeeded("members-2025-full-undo");
      step();
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 1, "members-2025-ramp-undo"));
      running("members-2025-ramp-undo");
      step();
      assertThat(plan.jobs()).isEmpty();
      succeeded("members-2025-ramp-undo");
      step();
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
      succeeded("members-2025-pilot-undo");
      step();
      assertThat(planner.due(migration, now)).extracting(WorkRequest::key)
          .containsExactly("rollback/members-match/1-250001/0");
    }

    @Test
    @DisplayName("given an abort while a stage loads, then the worker is deleted first and undone only once it is gone")
    void abortStopsTheWorkerFirst() {
      started();
      running("members-2025-pilot-load");
      step();
      act("abort");
      assertThat(plan.jobs()).containsExactly(new JobChange.Delete("members-2025-pilot-load"));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RollingBack);
      step();
      assertThat(plan.jobs()).containsExactly(new JobChange.Delete("members-2025-pilot-load"));
      jobs.remove("members-2025-pilot-load");
      step();
      assertThat(status().getStages().get(0).getJob().getState()).isEqualTo(JobState.Cancelled);
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
    }

    @Test
    @DisplayName("given no compare check, when every undo Job succeeds, then RolledBack says it is unverified: rollback.verified false, Stalled reason and a Warning RolledBackUnverified")
    void undoWithoutCompareIsUnverified() {
      migration.getSpec().setVerify(List.of());
      started();
      running("members-2025-pilot-load");
      step();
      act("abort");
      jobs.remove("members-2025-pilot-load");
      step();
      succeeded("members-2025-pilot-undo");
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RolledBack);
      assertThat(status().getRollback().getVerified()).isFalse();
      assertThat(condition("Stalled").getReason()).isEqualTo("RolledBackUnverified");
      assertThat(reasons()).contains("RolledBackUnverified").doesNotContain("RolledBack");
      assertThat(status().getMessage()).contains("UNVERIFIED", "[1, 2501)");
    }

    @Test
    @DisplayName("given a failed undo, then the migration is Failed (UndoFailed) until retry-stage runs a second undo Job")
    void failedUndo() {
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      failed("members-2025-pilot-undo");
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getFailureReason()).isEqualTo("UndoFailed");
      assertThat(status().getMessage()).contains("members-2025-pilot-undo", "[1, 2501)");
      act("retry-stage");
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo-2"));
      succeeded("members-2025-pilot-undo-2");
      step();
      rollbackCheck(emptyTarget(1, 2_501));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RolledBack);
    }

    @Test
    @DisplayName("given every stage undone, when the target still holds rows, then the migration is Failed (RollbackVerifyFailed)")
    void rollbackCheckFails() {
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      succeeded("members-2025-pilot-undo");
      step();
      ComparisonResult left = new ComparisonResult(KeyRange.of(1, 2_501), 0, 3, 0, 3, 0, List.of(), List.of(7L, 8L, 9L),
          List.of(), Duration.ofMillis(5), 2, 0, ChecksumMode.PORTABLE);
      rollbackCheck(new VerifyOutcome(CheckResult.Fail, false, "the target still holds 3 rows", null, left, left.duration()));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
      assertThat(status().getFailureReason()).isEqualTo("RollbackVerifyFailed");
      assertThat(status().getRollback().getChecks().get(0).getExtraSamples()).containsExactly(7L, 8L, 9L);
    }

    @Test
    @DisplayName("given no evidence for the rollback check, then it pauses and keeps asking, never declaring RolledBack")
    void rollbackCheckWithoutEvidence() {
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      succeeded("members-2025-pilot-undo");
      step();
      rollbackCheck(VerifyOutcome.unreachable("cannot connect", Duration.ZERO));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(status().getPauseReason()).isEqualTo("DatabaseUnreachable");
      later(Duration.ofSeconds(1));
      assertThat(planner.due(migration, now)).extracting(WorkRequest::key)
          .containsExactly("rollback/members-match/1-2501/1");
      rollbackCheck(emptyTarget(1, 2_501));
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RolledBack);
    }
  }

  @Nested
  @DisplayName("onFailure: Pause")
  class PausePolicy {

    @BeforeEach
    void pausing() {
      migration.getSpec().setOnFailure(dev.stagegate.api.common.FailurePolicy.Pause);
    }

    @Test
    @DisplayName("given a failed worker, then it pauses; resume does not apply; retry-stage undoes the stage and loads it again under a new Job name")
    void retryStageAfterWorkerFailure() {
      started();
      failed("members-2025-pilot-load");
      step();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
      assertThat(status().getPauseReason()).isEqualTo("WorkerFailed");
      assertThat(condition("Stalled").getStatus()).isEqualTo("True");
      assertThat(plan.jobs()).isEmpty();

      act("resume");
      assertThat(reasons()).contains("ActionIgnored");
      assertThat(plan.notes().get(0).message()).contains("use retry-stage or abort");
      assertThat(status().getPauseReason()).isEqualTo("WorkerFailed");

      act("retry-stage");
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
      succeeded("members-2025-pilot-undo");
      step();
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 0, "members-2025-pilot-load-2"));
      assertThat(status().getStages().get(0).getJob().getAttempt()).isEqualTo(2);
      succeeded("members-2025-pilot-load-2");
      step();
      assertThat(planner.due(migration, now)).extracting(WorkRequest::key)
          .containsExactly("verify/pilot/2/members-match/0");
    }

    @Test
    @DisplayName("given a refused Job under Pause, then retry-stage creates the next attempt directly (nothing to undo)")
    void retryRefusedJob() {
      started();
      jobs.put("members-2025-pilot-load", new ObservedJob("members-2025-pilot-load", null, JobState.Failed, "refused"));
      step();
      assertThat(status().getPauseReason()).isEqualTo("WorkerFailed");
      act("retry-stage");
      assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 0, "members-2025-pilot-load-2"));
    }

    @Test
    @DisplayName("given a failed verify, then it pauses; resume evaluates the checks again; abort rolls back")
    void resumeAndAbortAfterVerifyFailure() {
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      assertThat(status().getPauseReason()).isEqualTo("VerifyFailed");
      assertThat(status().getRollback()).isNull();
      later(Duration.ofSeconds(5));
      assertThat(planner.due(migration, now)).as("a failure pause evaluates nothing").isEmpty();

      act("resume");
      assertThat(status().getPauseReason()).isNull();
      assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Loaded);
      assertThat(planner.due(migration, now)).hasSize(1);
      verify(fail(fixtures(1, 2_501, 2_500)));
      assertThat(status().getPauseReason()).isEqualTo("VerifyFailed");

      act("abort");
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RollingBack);
      assertThat(status().getRollback().getReason()).isEqualTo("Aborted");
      assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
    }

    @Test
    @DisplayName("given a failed backup, then retry-stage runs a second backup Job")
    void retryBackup() {
      migration.getSpec().setBackup(DataMigrations.job("backup", List.of()));
      started();
      failed("members-2025-backup");
      step();
      assertThat(status().getPauseReason()).isEqualTo("BackupFailed");
      act("retry-stage");
      assertThat(plan.jobs()).containsExactly(create(JobKind.BACKUP, -1, "members-2025-backup-2"));
    }
  }

  @Nested
  @DisplayName("restarts and replays")
  class Replays {

    @Test
    @DisplayName("given the same observation twice (a restarted operator), then no Job is requested twice and the status does not change")
    void replayIsIdempotent() {
      pilotLoaded();
      DataMigrationStatus before = dev.stagegate.common.Copies.deep(status(), DataMigrationStatus.class);
      step();
      assertThat(plan.jobs()).isEmpty();
      assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(status()))
          .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(before));
    }

    @Test
    @DisplayName("given a Succeeded or RolledBack migration, then actions are ignored and removed")
    void terminalIgnoresActions() {
      pilotLoaded();
      verify(fail(fixtures(1, 2_501, 2_500)));
      succeeded("members-2025-pilot-undo");
      step();
      rollbackCheck(emptyTarget(1, 2_501));
      act("retry-stage");
      assertThat(plan.actionConsumed()).isTrue();
      assertThat(plan.jobs()).isEmpty();
      assertThat(status().getPhase()).isEqualTo(MigrationPhase.RolledBack);
    }

    @Test
    @DisplayName("given an unknown action, then it is removed with a warning")
    void unknownAction() {
      started();
      act("promote");
      assertThat(plan.actionConsumed()).isTrue();
      assertThat(reasons()).contains("UnknownAction");
    }
  }

  @Test
  @DisplayName("Job names are deterministic and at most 63 characters, however long the migration's name")
  void jobNames() {
    assertThat(JobNames.stage("members-2025", "pilot", JobKind.LOAD, 1)).isEqualTo("members-2025-pilot-load");
    assertThat(JobNames.stage("members-2025", "pilot", JobKind.UNDO, 3)).isEqualTo("members-2025-pilot-undo-3");
    String longName = "a".repeat(120) + "-migration";
    String name = JobNames.stage(longName, "ramp-twenty-percent", JobKind.LOAD, 12);
    assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-ramp-twenty-percent-load-12")
        .isEqualTo(JobNames.stage(longName, "ramp-twenty-percent", JobKind.LOAD, 12));
    assertThat(JobNames.stage(longName + "x", "ramp-twenty-percent", JobKind.LOAD, 12)).isNotEqualTo(name);
  }

  @Test
  @DisplayName("the issue's example builds a spec the operator's validator accepts")
  void exampleIsValid() {
    assertThat(MigrationValidator.validate(DataMigrations.members2025("portal")
        .guardMax("target-has-room", DatabaseSide.target, "select 0", 1).build())).isEmpty();
  }
}
