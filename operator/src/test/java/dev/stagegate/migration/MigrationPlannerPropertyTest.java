package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.datacompare.ChecksumMode;
import dev.stagegate.datacompare.ComparisonResult;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.GuardOutcome;
import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.JobKind;
import dev.stagegate.migration.plan.MigrationObservation;
import dev.stagegate.migration.plan.MigrationPlan;
import dev.stagegate.migration.plan.MigrationPlanner;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import dev.stagegate.migration.plan.VerifyOutcome;
import dev.stagegate.testing.DataMigrations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Seeded random specs and observation sequences through the migration planner: whatever the cluster, the
 * databases and people do, it never throws and never asks for a write (a load or backup Job) before the
 * preflight reported every guard passed. A failing seed is printed so it can be replayed.
 */
class MigrationPlannerPropertyTest {
  private static final long SEED = 20261206L;
  private static final int RUNS = 2_000;
  private static final int TURNS = 40;
  private static final String[] ACTIONS = {"approve", "abort", "resume", "retry-stage", "pause", "{{x}}\"'\u0000"};

  /**
   * One seed, by default the one that found an abort in the turn a retried loader failed: the rollback then threw
   * on every turn. Any seed can be replayed with a trace: -Dproperty.seed=N -Dproperty.trace=true.
   */
  @Test
  @DisplayName("given the seed of an abort in the turn a retried loader failed, then the rollback undoes that stage instead of throwing")
  void replay() {
    run(new Random(Long.getLong("property.seed", 8042975790144598951L)));
  }

  @Test
  @DisplayName("given 2,000 seeded random migrations of 40 turns each, then the planner never throws and never creates a load or backup Job before the guards passed")
  void neverThrowsNeverWritesBeforeGuards() {
    Random seeds = new Random(SEED);
    int creates = 0;
    for (int run = 0; run < RUNS; run++) {
      long seed = seeds.nextLong();
      try {
        creates += run(new Random(seed));
      } catch (Throwable t) {
        throw new AssertionError("seed " + seed + " (run " + run + "): " + t, t);
      }
    }
    assertThat(creates).as("the random walks did reach writes, so the property was exercised").isGreaterThan(RUNS / 4);
  }

  private static int run(Random r) {
    MigrationPlanner planner = new MigrationPlanner(Duration.ofSeconds(5));
    DataMigrations builder = DataMigrations.named("m" + r.nextInt(3), "ns")
        .guardMax("g", dev.stagegate.api.migration.DatabaseSide.source, "select 0", 0);
    int stages = 1 + r.nextInt(4);
    int percent = 0;
    List<StageRange> ranges = new ArrayList<>();
    long from = 1;
    for (int i = 0; i < stages; i++) {
      percent = i == stages - 1 && r.nextInt(10) > 0 ? 100 : Math.min(100, percent + 1 + r.nextInt(60));
      builder = r.nextBoolean() ? builder.stage("s" + i, percent) : builder.manualStage("s" + i, percent);
      ranges.add(new StageRange(from, from + 100, 100));
      from += 100;
    }
    if (r.nextBoolean()) {
      builder = builder.compare("c", 0);
    }
    DataMigration migration = builder.build();
    migration.getMetadata().setUid("uid-" + r.nextInt(1000));
    if (r.nextBoolean()) {
      migration.getSpec().setOnFailure(FailurePolicy.Pause);
    }
    if (r.nextInt(5) == 0) {
      migration.getSpec().setUndo(null);
    }
    Boundaries bounds = new Boundaries(from - 1, ranges);
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    boolean guardsPassed = false;
    int creates = 0;
    Map<String, ObservedJob> finished = new HashMap<>();
    for (int turn = 0; turn < TURNS; turn++) {
      PreflightOutcome preflight = preflight(r, bounds);
      guardsPassed |= preflight instanceof PreflightOutcome.Ready;
      String action = r.nextInt(6) == 0 ? ACTIONS[r.nextInt(ACTIONS.length)] : null;
      MigrationObservation obs = new MigrationObservation(1 + r.nextInt(2), action, jobs(r, migration, finished), preflight,
          verify(r), verify(r));
      if (Boolean.getBoolean("property.trace")) {
        System.out.println("turn " + turn + " phase " + (migration.getStatus() == null ? null : migration.getStatus().getPhase())
            + " action " + action + " preflight " + (preflight == null ? null : preflight.getClass().getSimpleName())
            + " jobs " + obs.jobs().values() + " stages " + (migration.getStatus() == null ? "" : migration.getStatus().getStages()
            .stream().map(s -> s.getName() + ":" + s.getState() + ":" + (s.getJob() == null ? "-" : s.getJob().getState())
            + ":" + (s.getUndo() == null ? "-" : s.getUndo().getState())).toList()) + " rollback "
            + (migration.getStatus() == null || migration.getStatus().getRollback() == null ? "-" : "yes")
            + " undo " + (migration.getSpec().getUndo() != null) + " policy " + migration.getSpec().getOnFailure());
      }
      MigrationPlan plan = planner.plan(migration, obs, now);
      for (JobChange change : plan.jobs()) {
        if (change instanceof JobChange.Create c && (c.kind() == JobKind.LOAD || c.kind() == JobKind.BACKUP)) {
          assertThat(guardsPassed).as("turn %d: %s requested before the guards passed", turn, c).isTrue();
          creates++;
        }
      }
      migration.setStatus(plan.status());
      now = now.plus(Duration.ofSeconds(r.nextInt(120)));
    }
    return creates;
  }

  private static PreflightOutcome preflight(Random r, Boundaries bounds) {
    List<GuardOutcome> failed = List.of(new GuardOutcome("g", CheckResult.Fail, "3", "<= 0", "returned 3"));
    return switch (r.nextInt(8)) {
      case 0 -> new PreflightOutcome.Blocked(MigrationReasons.Cause.DatabaseUnreachable, "down", List.of());
      case 1 -> new PreflightOutcome.Refused(MigrationReasons.Cause.GuardFailed, "guard g failed", failed);
      case 2 -> new PreflightOutcome.Invalid(List.of("spec.partition.column: no such column"));
      case 3 -> new PreflightOutcome.Ready(List.of(new GuardOutcome("g", CheckResult.Pass, "0", "<= 0", "ok")), bounds);
      default -> null;
    };
  }

  /**
   * Every Job the status names, seen in a random state or not at all; as in a cluster, a Job that finished stays
   * finished (a Job's Complete or Failed condition is never withdrawn).
   */
  private static Map<String, ObservedJob> jobs(Random r, DataMigration m, Map<String, ObservedJob> finished) {
    Map<String, ObservedJob> seen = new HashMap<>();
    if (m.getStatus() == null) {
      return seen;
    }
    List<JobRun> runs = new ArrayList<>();
    if (m.getStatus().getBackup() != null) {
      runs.add(m.getStatus().getBackup());
    }
    for (StageProgress s : m.getStatus().getStages()) {
      if (s.getJob() != null) {
        runs.add(s.getJob());
      }
      if (s.getUndo() != null) {
        runs.add(s.getUndo());
      }
    }
    for (JobRun run : runs) {
      if (finished.containsKey(run.getName())) {
        seen.put(run.getName(), finished.get(run.getName()));
        continue;
      }
      int pick = r.nextInt(5);
      if (pick < 4) {
        JobState state = pick == 0 ? JobState.Failed : pick == 1 ? JobState.Running : JobState.Succeeded;
        String uid = r.nextInt(20) == 0 ? "other-uid" : "uid-" + run.getName();
        ObservedJob job = new ObservedJob(run.getName(), uid, state, "m");
        seen.put(run.getName(), job);
        if (job.finished()) {
          finished.put(run.getName(), job);
        }
      }
    }
    return seen;
  }

  private static Map<String, VerifyOutcome> verify(Random r) {
    ComparisonResult clean = new ComparisonResult(KeyRange.of(1, 101), 100, 100, 0, 0, 0, List.of(), List.of(), List.of(),
        Duration.ofMillis(5), 1, 0, ChecksumMode.PORTABLE);
    return switch (r.nextInt(4)) {
      case 0 -> Map.of("c", new VerifyOutcome(CheckResult.Pass, false, "ok", null, clean, clean.duration()));
      case 1 -> Map.of("c", new VerifyOutcome(CheckResult.Fail, false, "differs", null, clean, clean.duration()));
      case 2 -> Map.of("c", VerifyOutcome.unreachable("down", Duration.ZERO));
      default -> Map.of();
    };
  }
}
