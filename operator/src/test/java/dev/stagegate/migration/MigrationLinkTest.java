package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.common.LinkPolicy;
import dev.stagegate.api.common.LinkStatus;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import dev.stagegate.datacompare.ChecksumMode;
import dev.stagegate.datacompare.ComparisonResult;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.link.LinkView;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.GuardOutcome;
import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.JobKind;
import dev.stagegate.migration.plan.MigrationObservation;
import dev.stagegate.migration.plan.MigrationPlan;
import dev.stagegate.migration.plan.MigrationPlanner;
import dev.stagegate.migration.plan.MigrationValidator;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import dev.stagegate.migration.plan.VerifyOutcome;
import dev.stagegate.testing.DataMigrations;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** spec.gates on a DataMigration, and a linked Release's rollback aborting it: the pure planner, a fake clock. */
class MigrationLinkTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String RELEASE = "Release/web";
  private static final Boundaries BOUNDS = new Boundaries(250_000, List.of(
      new StageRange(1, 2_501, 2_500), new StageRange(2_501, 25_001, 22_500), new StageRange(25_001, 250_001, 225_000)));
  private static final List<GuardOutcome> GUARDS_PASS = List.of(
      new GuardOutcome("source-is-production", CheckResult.Pass, "members_prod", "= members_prod", "returned members_prod"),
      new GuardOutcome("no-test-fixtures", CheckResult.Pass, "0", "<= 0", "returned 0"));

  private final MigrationPlanner planner = new MigrationPlanner(Duration.ofSeconds(5));
  private final Map<String, ObservedJob> jobs = new HashMap<>();
  private DataMigration migration;
  private MigrationPlan plan;
  private Instant now = T0;
  private List<LinkView> links = List.of();

  @BeforeEach
  void setUp() {
    migration = DataMigrations.members2025("portal").build();
    migration.getMetadata().setUid("0123456789abcdef");
  }

  private void gate(int stage, GateUntil until, LinkPolicy policy) {
    MigrationGate gate = new MigrationGate(stage, "web", until);
    gate.setOnFailure(policy);
    migration.getSpec().setGates(new ArrayList<>(List.of(gate)));
  }

  private MigrationPlan step(PreflightOutcome preflight, Map<String, VerifyOutcome> verify, Map<String, VerifyOutcome> rollback) {
    MigrationObservation observed = new MigrationObservation(1, null, Map.copyOf(jobs), preflight, verify, rollback)
        .withLinks(links);
    plan = planner.plan(migration, observed, now);
    migration.setStatus(plan.status());
    now = now.plusSeconds(5);
    return plan;
  }

  private MigrationPlan step() {
    return step(null, Map.of(), Map.of());
  }

  /** What a restarted operator has: the stored resource only. */
  private void restart() {
    migration = Serialization.unmarshal(Serialization.asJson(migration), DataMigration.class);
  }

  private void succeeded(String job) {
    jobs.put(job, new ObservedJob(job, "uid-" + job, JobState.Succeeded, "Reached expected number of succeeded pods"));
  }

  private static VerifyOutcome clean(long from, long to, long rows) {
    ComparisonResult c = new ComparisonResult(KeyRange.of(from, to), rows, rows, 0, 0, 0, List.of(), List.of(), List.of(),
        Duration.ofMillis(850), 4, 0, ChecksumMode.POSTGRES_NATIVE);
    return new VerifyOutcome(CheckResult.Pass, false, c.summary(), null, c, c.duration());
  }

  private static VerifyOutcome emptyTarget(long from, long to) {
    ComparisonResult c = new ComparisonResult(KeyRange.of(from, to), 0, 0, 0, 0, 0, List.of(), List.of(), List.of(),
        Duration.ofMillis(20), 2, 0, ChecksumMode.PORTABLE);
    return new VerifyOutcome(CheckResult.Pass, false, "the target holds no row", null, c, c.duration());
  }

  /** Guards pass, the pilot loads and verifies clean. */
  private void pilotVerified() {
    step();
    step(new PreflightOutcome.Ready(GUARDS_PASS, BOUNDS), Map.of(), Map.of());
    succeeded("members-2025-pilot-load");
    step();
    step(null, Map.of("members-match", clean(1, 2_501, 2_500)), Map.of());
  }

  private static LinkView release(int stagesDone, Instant failedAt) {
    return new LinkView(RELEASE, true, true, failedAt == null ? "Progressing" : "RolledBack", stagesDone, false, failedAt,
        failedAt == null ? null : "RolledBack: rolled back 5d9f (CheckFailed): error-rate above 0.05", LinkPolicy.RollBackBoth);
  }

  private List<String> reasons() {
    return plan.notes().stream().map(Note::reason).toList();
  }

  private Condition condition(String type) {
    return Conditions.find(migration.getStatus().getConditions(), type);
  }

  private static JobChange.Create create(JobKind kind, int stage, String name) {
    return new JobChange.Create(kind, stage, name);
  }

  @Test
  @DisplayName("given the ramp waits for Release web (not there yet) to finish its stage 0, when the pilot is verified, then no ramp Job is created and the migration is Paused/WaitingForGate (Reconciling, not Stalled) naming the Release; when the Release is past stage 0, then the ramp loads")
  void rampWaitsForTheRelease() {
    gate(1, new GateUntil(0, null), LinkPolicy.RollBackBoth);
    links = List.of(LinkView.missing(RELEASE, LinkPolicy.RollBackBoth));
    pilotVerified();

    assertThat(plan.jobs()).isEmpty();
    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(migration.getStatus().getPauseReason()).isEqualTo("WaitingForGate");
    assertThat(migration.getStatus().getMessage())
        .isEqualTo("stage ramp (2/3) waits for Release/web to reach stage 0 done (not found yet)");
    assertThat(condition(Conditions.RECONCILING).getReason()).isEqualTo("WaitingForGate");
    assertThat(condition(Conditions.STALLED).getStatus()).isEqualTo("False");
    step();
    assertThat(plan.jobs()).isEmpty();
    assertThat(reasons()).doesNotContain("WaitingForGate");

    links = List.of(release(1, null));
    step();

    assertThat(plan.jobs()).containsExactly(create(JobKind.LOAD, 1, "members-2025-ramp-load"));
    assertThat(reasons()).containsExactly("GateOpened", "StageStarted");
    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.Migrating);
    assertThat(migration.getStatus().getLinks()).singleElement()
        .satisfies(l -> assertThat(l.getOpenedGates()).containsExactly(1));
  }

  @Test
  @DisplayName("given a verified pilot linked to Release web, when the Release rolls back, then the migration aborts through its rollback (LinkedReleaseRolledBack, the pilot undone, the target verified empty), exactly once across restarts")
  void releaseRollbackAbortsTheMigration() {
    gate(1, new GateUntil(null, "Promoted"), LinkPolicy.RollBackBoth);
    links = List.of(release(0, null));
    pilotVerified();
    assertThat(migration.getStatus().getPauseReason()).isEqualTo("WaitingForGate");

    links = List.of(release(0, now));
    step();

    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.RollingBack);
    assertThat(migration.getStatus().getFailureReason()).isEqualTo("LinkedReleaseRolledBack");
    assertThat(migration.getStatus().getRollback().getMessage()).startsWith("linked Release/web RolledBack: rolled back 5d9f");
    assertThat(plan.jobs()).containsExactly(create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
    assertThat(reasons()).containsExactly("RollingBack", "UndoStarted");
    assertThat(migration.getStatus().getLinks()).singleElement().satisfies(l -> {
      assertThat(l.getState()).isEqualTo(LinkStatus.FAILED);
      assertThat(l.getMessage()).contains("aborted this migration");
    });

    restart();
    step();
    assertThat(reasons()).doesNotContain("RollingBack");
    assertThat(plan.jobs()).allSatisfy(j -> assertThat(j.name()).isEqualTo("members-2025-pilot-undo"));

    succeeded("members-2025-pilot-undo");
    restart();
    step();
    assertThat(migration.getStatus().getStages().get(0).getState()).isEqualTo(StageState.Undone);
    step(null, Map.of(), Map.of("members-match", emptyTarget(1, 2_501)));
    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.RolledBack);
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo("RolledBack");
    assertThat(migration.getStatus().getMessage()).contains("Release/web");
  }

  @Test
  @DisplayName("given a linked Release that rolls back before anything is written, then the migration is Failed (LinkedReleaseRolledBack) with nothing written and no Job")
  void releaseRollbackBeforeAnyWrite() {
    gate(0, new GateUntil(0, null), LinkPolicy.RollBackBoth);
    links = List.of(release(0, null));
    step();
    links = List.of(release(0, now));
    step();

    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.Failed);
    assertThat(migration.getStatus().getFailureReason()).isEqualTo("LinkedReleaseRolledBack");
    assertThat(migration.getStatus().getMessage()).endsWith("nothing was written");
    assertThat(plan.jobs()).isEmpty();
  }

  @Test
  @DisplayName("given a Release that rolled back before this migration first saw it, or an Independent link, then the migration does not abort")
  void olderOrIndependentRollbackIsNotFollowed() {
    gate(1, new GateUntil(0, null), LinkPolicy.RollBackBoth);
    links = List.of(release(0, T0.minus(Duration.ofHours(2))));
    pilotVerified();
    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(migration.getStatus().getMessage()).contains("now RolledBack, 0 stage(s) done");

    setUp();
    gate(1, new GateUntil(0, null), LinkPolicy.Independent);
    links = List.of(new LinkView(RELEASE, true, true, "Progressing", 0, false, null, null, LinkPolicy.Independent));
    pilotVerified();
    links = List.of(new LinkView(RELEASE, true, true, "RolledBack", 0, false, now, "RolledBack: x", LinkPolicy.Independent));
    step();
    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(migration.getStatus().getRollback()).isNull();
  }

  @Test
  @DisplayName("given bad gates, then InvalidSpec names each field")
  void badGatesAreInvalidSpec() {
    migration.getSpec().setGates(new ArrayList<>(List.of(
        new MigrationGate(5, "web", new GateUntil(0, null)),
        new MigrationGate(0, " ", new GateUntil(0, null)),
        new MigrationGate(0, "web", new GateUntil(0, "Promoted")),
        new MigrationGate(0, "web", new GateUntil(null, "Succeeded")))));

    assertThat(MigrationValidator.validate(migration)).containsExactly(
        "spec.gates[0].stage: must be a stage index from 0 to 2, got 5",
        "spec.gates[1].release: must name a resource in this namespace",
        "spec.gates[2].until: set exactly one of stage and phase",
        "spec.gates[3].until.phase: must be Promoted, got 'Succeeded'");
    step();
    assertThat(migration.getStatus().getPhase()).isEqualTo(MigrationPhase.Failed);
    assertThat(migration.getStatus().getFailureReason()).isEqualTo("InvalidSpec");
  }
}
