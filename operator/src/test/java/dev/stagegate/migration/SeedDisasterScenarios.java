package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.CheckResult;
import dev.stagegate.api.DataMigration;
import dev.stagegate.api.MigrationPhase;
import dev.stagegate.api.StageState;
import dev.stagegate.api.VerifyStatus;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.GatedMetrics;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.MigrationHarness;
import dev.stagegate.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The seed disaster, end to end through the real operator, a real PostgreSQL and Jobs played by the
 * sandbox's FakeJobRunner: 250,000 members in a "production" source, 250,000 fixtures under the same keys
 * in a "UAT" source, and a target that already holds accounts of its own. Each tier (mock API server, real
 * API server) runs these same scenarios by providing the client and the settings.
 */
@Tag("postgres")
public abstract class SeedDisasterScenarios {
  protected static final long ROWS = 250_000;
  protected static final int EXISTING = 500;
  protected static final Duration WAIT = Duration.ofMinutes(3);
  protected static final String NAME = "members-2025";
  /** Would be a real password: it must never appear in status, Events, metrics or logs. */
  protected static final String PASSWORD = "Xq7-never-shown-4Rz";
  private static final AtomicInteger RUN = new AtomicInteger();

  protected final GatedMetrics metrics = new GatedMetrics().value(0);
  protected MemberLoader loader;
  protected MigrationHarness harness;
  protected String target;
  protected String before;

  protected abstract KubernetesClient client();

  protected abstract OperatorSettings settings();

  /** The production and UAT sources, seeded once per JVM (scenarios only read them). */
  protected static synchronized void seedSources() throws SQLException {
    if (PostgresServer.createDatabase("members_prod")) {
      try (Connection c = PostgresServer.connect("members_prod")) {
        MemberTables.seedProduction(c, ROWS);
      }
    }
    if (PostgresServer.createDatabase("members_uat")) {
      try (Connection c = PostgresServer.connect("members_uat")) {
        MemberTables.seedFixtures(c, ROWS);
      }
    }
  }

  @BeforeEach
  void startCluster() throws SQLException {
    long t0 = System.nanoTime();
    seedSources();
    int run = RUN.incrementAndGet();
    target = "portal_" + ProcessHandle.current().pid() + "_" + run;
    PostgresServer.createDatabase(target);
    try (Connection c = PostgresServer.connect(target)) {
      MemberTables.seedExistingAccounts(c, EXISTING);
      before = MemberTables.checksum(c);
    }
    loader = new MemberLoader(PostgresServer.jdbcUrl("members_uat"));
    String namespace = "portal-" + ProcessHandle.current().pid() % 10_000 + "-" + run;
    harness = new MigrationHarness(client(), namespace, settings(), metrics, loader).start();
    harness.databaseSecret("legacy-members-db", PostgresServer.jdbcUrl("members_prod"), "postgres", PASSWORD);
    harness.databaseSecret("portal-db", PostgresServer.jdbcUrl(target), "postgres", PASSWORD);
    System.out.printf("scenario set up in %d ms (namespace %s, target %s)%n", (System.nanoTime() - t0) / 1_000_000,
        namespace, target);
  }

  @AfterEach
  void stopCluster() {
    if (harness != null) {
      harness.close();
    }
  }

  /** The members-2025, with Jobs whose containers read the databases from the two Secrets. */
  protected static DataMigration members2025() {
    List<EnvVar> source = List.of(DataMigrations.fromSecret("SOURCE_URL", "legacy-members-db", "jdbcUrl"),
        DataMigrations.fromSecret("SOURCE_USER", "legacy-members-db", "username"),
        DataMigrations.fromSecret("SOURCE_PASSWORD", "legacy-members-db", "password"));
    List<EnvVar> target = List.of(DataMigrations.fromSecret("TARGET_URL", "portal-db", "jdbcUrl"),
        DataMigrations.fromSecret("TARGET_USER", "portal-db", "username"),
        DataMigrations.fromSecret("TARGET_PASSWORD", "portal-db", "password"));
    return DataMigrations.members2025("portal")
        .worker(DataMigrations.job("loader", concat(source, target)))
        .undo(DataMigrations.job("undo", target))
        .prometheusCheck("loader-errors",
            "sum(increase(loader_records_failed_total{migration=\"{{name}}\",stage=\"{{stage}}\"}[5m]))", 0, 1)
        .build();
  }

  private static List<EnvVar> concat(List<EnvVar> a, List<EnvVar> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  protected String targetChecksum() throws SQLException {
    try (Connection c = PostgresServer.connect(target)) {
      return MemberTables.checksum(c);
    }
  }

  protected long targetRows() throws SQLException {
    try (Connection c = PostgresServer.connect(target)) {
      return MemberTables.count(c);
    }
  }

  /** Approves the Manual ramp stage when the migration asks, until it reaches a terminal phase. */
  protected DataMigration runToEnd() {
    harness.awaitStatus(NAME, m -> "AwaitingApproval".equals(m.getStatus().getPauseReason())
        || terminal(m.getStatus().getPhase()), WAIT);
    if ("AwaitingApproval".equals(harness.get(NAME).getStatus().getPauseReason())) {
      assertThat(harness.get(NAME).getStatus().getCurrentStage()).isEqualTo("ramp");
      harness.annotate(NAME, "approve");
    }
    return harness.awaitStatus(NAME, m -> terminal(m.getStatus().getPhase()), WAIT);
  }

  private static boolean terminal(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed;
  }

  protected static Condition condition(DataMigration m, String type) {
    return m.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  protected static VerifyStatus check(List<VerifyStatus> checks, String name) {
    return checks.stream().filter(v -> name.equals(v.getName())).findFirst().orElseThrow();
  }

  // ----- (a) the Secret points at UAT

  @Test
  @DisplayName("(a) given the source Secret points at UAT, then the guards stop the migration before any write: Failed/GuardFailed naming guard, expectation and value; the target is unchanged; no Job ran")
  void guardStopsTheUatSource() throws SQLException {
    harness.databaseSecret("legacy-members-db", PostgresServer.jdbcUrl("members_uat"), "postgres", PASSWORD);
    harness.apply(members2025());

    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);

    assertThat(failed.getStatus().getFailureReason()).isEqualTo("GuardFailed");
    assertThat(condition(failed, "Stalled").getReason()).isEqualTo("GuardFailed");
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(failed.getStatus().getMessage())
        .contains("source-is-production", "members_prod", "members_uat")
        .contains("no-test-fixtures", "<= 0", String.valueOf(ROWS));
    assertThat(failed.getStatus().getGuards()).extracting(g -> g.getName() + " " + g.getResult() + " " + g.getObserved())
        .containsExactly("source-is-production Fail members_uat", "no-test-fixtures Fail " + ROWS);
    assertThat(failed.getStatus().getStages()).as("no boundaries, no stage").isEmpty();
    assertThat(targetChecksum()).as("the target is exactly as before").isEqualTo(before);
    assertThat(targetRows()).isEqualTo(EXISTING);
    assertThat(harness.jobs()).isEmpty();
    assertThat(harness.jobRuns()).isEmpty();
    harness.awaitEvents(NAME, WAIT, "GuardFailed");
  }

  // ----- (b) guards pass, the loader writes fixtures

  @Test
  @DisplayName("(b) given the loader writes fixtures, then verify fails after the 1% pilot, undo runs, the target is byte-for-byte as before and nothing past 1% was loaded")
  void fixturesAreRolledBackAfterThePilot() throws SQLException {
    loader.fault(MemberLoader.Fault.FIXTURES);
    harness.apply(members2025());

    DataMigration rolledBack = harness.awaitPhase(NAME, MigrationPhase.RolledBack, WAIT);

    assertThat(rolledBack.getStatus().getFailureReason()).isEqualTo("VerifyFailed");
    assertThat(condition(rolledBack, "Stalled").getReason()).isEqualTo("RolledBack");
    var pilot = rolledBack.getStatus().getStages().get(0);
    assertThat(pilot.getName()).isEqualTo("pilot");
    assertThat(pilot.getRows()).as("1% of the rows, whatever the gaps in the key").isEqualTo(ROWS / 100);
    assertThat(pilot.getKeyFrom()).isEqualTo(1);
    assertThat(pilot.getKeyTo()).isEqualTo(ROWS / 100 + 1);
    assertThat(pilot.getState()).isEqualTo(StageState.Undone);
    assertThat(rolledBack.getStatus().getStages().subList(1, 3)).allSatisfy(s -> {
      assertThat(s.getState()).isEqualTo(StageState.Pending);
      assertThat(s.getJob()).isNull();
    });
    VerifyStatus compare = check(rolledBack.getStatus().getVerify(), "members-match");
    assertThat(compare.getResult()).isEqualTo(CheckResult.Fail);
    assertThat(compare.getSourceRows()).isEqualTo(ROWS / 100);
    assertThat(compare.getChanged()).as("every fixture row differs from production").isEqualTo(ROWS / 100);
    assertThat(compare.getChangedSamples()).hasSize(10).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    VerifyStatus emptied = check(rolledBack.getStatus().getRollback().getChecks(), "members-match");
    assertThat(emptied.getResult()).isEqualTo(CheckResult.Pass);
    assertThat(emptied.getKeyFrom() + ".." + emptied.getKeyTo()).isEqualTo("1.." + (ROWS / 100 + 1));

    assertThat(targetChecksum()).as("byte-for-byte what it was before").isEqualTo(before);
    assertThat(loader.started()).as("nothing past the pilot ever ran")
        .containsExactly("members-2025-pilot-load", "members-2025-pilot-undo");
    assertThat(harness.jobRuns()).isEqualTo(Map.of("members-2025-pilot-load", 1, "members-2025-pilot-undo", 1));
    assertThat(loader.environment("members-2025-pilot-undo")).containsEntry("STAGEGATE_KEY_FROM", "1")
        .containsEntry("STAGEGATE_KEY_TO", String.valueOf(ROWS / 100 + 1))
        .containsEntry("STAGEGATE_STAGE", "pilot")
        .containsEntry("STAGEGATE_MIGRATION", NAME)
        .containsEntry("STAGEGATE_RUN_ID", loader.environment("members-2025-pilot-load").get("STAGEGATE_RUN_ID"));
    harness.awaitEvents(NAME, WAIT, "GuardsPassed", "BoundariesFixed", "StageLoaded", "VerifyCheckFailed",
        "RollingBack", "StageUndone", "RolledBack");
  }

  // ----- (c) correct data

  @Test
  @DisplayName("(c) given correct data, then every stage loads and verifies (ramp after approval) and the final compare over all 250,000 rows is clean")
  void correctDataSucceeds() throws SQLException {
    long t0 = System.nanoTime();
    harness.apply(members2025());

    DataMigration done = runToEnd();
    System.out.printf("(c) 250,000 rows migrated and verified in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
    assertThat(done.getStatus().getStages()).extracting(s -> s.getName() + " " + s.getRows() + " " + s.getState())
        .containsExactly("pilot 2500 Verified", "ramp 22500 Verified", "full 225000 Verified");
    assertThat(done.getStatus().getStages().get(2).getKeyTo()).isEqualTo(MemberTables.maxKey(ROWS) + 1);
    VerifyStatus compare = check(done.getStatus().getVerify(), "members-match");
    assertThat(compare.getStage()).isEqualTo("full");
    assertThat(compare.getSourceRows()).isEqualTo(ROWS);
    assertThat(compare.getTargetRows()).isEqualTo(ROWS);
    assertThat(compare.getMissing() + compare.getExtra() + compare.getChanged()).isZero();
    assertThat(check(done.getStatus().getVerify(), "loader-errors").getValue()).isEqualTo("0");
    assertThat(done.getStatus().getRowsMigrated()).isEqualTo(ROWS);
    assertThat(targetRows()).isEqualTo(ROWS + EXISTING);
    assertThat(harness.jobRuns()).isEqualTo(Map.of("members-2025-pilot-load", 1, "members-2025-ramp-load", 1,
        "members-2025-full-load", 1));
    assertThat(metrics.queries()).as("{{name}} and {{stage}} are filled in")
        .anyMatch(q -> q.contains("migration=\"members-2025\",stage=\"ramp\""));
    assertThat(done.getMetadata().getAnnotations()).doesNotContainKey("stagegate.dev/action");
    harness.awaitEvents(NAME, WAIT, "AwaitingApproval", "ActionApplied", "Succeeded");
  }

  // ----- restarts

  @Test
  @DisplayName("given the operator restarts while the ramp's Job runs, then the same Job is found, not started again, and the migration succeeds")
  void restartDuringAStageJob() throws Exception {
    MemberLoader.Gate ramp = loader.hold("members-2025-ramp-load");
    harness.apply(members2025());
    assertThat(ramp.awaitRunning(WAIT.toSeconds())).isTrue();

    harness.stopOperator();
    harness.startOperator();
    ramp.release();

    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(harness.jobRuns()).as("no stage Job ran twice").isEqualTo(Map.of("members-2025-pilot-load", 1,
        "members-2025-ramp-load", 1, "members-2025-full-load", 1));
    assertThat(check(done.getStatus().getVerify(), "members-match").getChanged()).isZero();
  }

  @Test
  @DisplayName("given the operator restarts during verification, then the verification runs again and the migration succeeds with each Job run once")
  void restartDuringVerify() throws Exception {
    metrics.block();
    harness.apply(members2025());
    assertThat(metrics.awaitWaiting(WAIT.toSeconds())).isTrue();
    DataMigration verifying = harness.get(NAME);
    assertThat(verifying.getStatus().getPhase()).isEqualTo(MigrationPhase.Verifying);
    assertThat(verifying.getStatus().getCurrentStage()).isEqualTo("pilot");

    harness.stopOperator();
    harness.startOperator();
    metrics.release();

    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(metrics.queries().stream().filter(q -> q.contains("stage=\"pilot\"")).count())
        .as("the interrupted verification was asked again").isGreaterThanOrEqualTo(2);
    assertThat(harness.jobRuns()).isEqualTo(Map.of("members-2025-pilot-load", 1, "members-2025-ramp-load", 1,
        "members-2025-full-load", 1));
  }

  @Test
  @DisplayName("given the operator restarts while an undo Job runs, then that undo is not started again and the rollback completes")
  void restartDuringUndo() throws Exception {
    loader.fault(MemberLoader.Fault.FIXTURES);
    MemberLoader.Gate undo = loader.hold("members-2025-pilot-undo");
    harness.apply(members2025());
    assertThat(undo.awaitRunning(WAIT.toSeconds())).isTrue();

    harness.stopOperator();
    harness.startOperator();
    undo.release();

    DataMigration rolledBack = harness.awaitPhase(NAME, MigrationPhase.RolledBack, WAIT);
    assertThat(rolledBack.getStatus().getStages().get(0).getState()).isEqualTo(StageState.Undone);
    assertThat(targetChecksum()).isEqualTo(before);
    assertThat(harness.jobRuns()).isEqualTo(Map.of("members-2025-pilot-load", 1, "members-2025-pilot-undo", 1));
  }
}
