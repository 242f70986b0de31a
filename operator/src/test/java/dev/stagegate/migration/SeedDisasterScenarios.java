package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.PostgresServer;
import java.sql.SQLException;
import java.util.Map;
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
public abstract class SeedDisasterScenarios extends MigrationScenarioBase {
  protected static final long ROWS = 250_000;

  @Override
  protected String sourceDatabase() {
    return "members_prod";
  }

  @Override
  protected String fixturesDatabase() {
    return "members_uat";
  }

  @Override
  protected long rows() {
    return ROWS;
  }

  /** The issue's stages: pilot 1%, ramp 10% (Manual), full 100%. */
  private DataMigration issueExample() {
    return members2025().stage("pilot", 1).manualStage("ramp", 10).stage("full", 100).build();
  }

  // ----- (a) the Secret points at UAT

  @Test
  @DisplayName("(a) given the source Secret points at UAT, then the guards stop the migration before any write: Failed/GuardFailed naming guard, expectation and value; the target is unchanged; no Job ran")
  void guardStopsTheUatSource() throws SQLException {
    harness.databaseSecret("legacy-members-db", PostgresServer.jdbcUrl("members_uat"), "postgres", PASSWORD);
    harness.apply(issueExample());

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
    harness.apply(issueExample());

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
    harness.apply(issueExample());

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
    harness.apply(issueExample());
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
    harness.apply(issueExample());
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
    harness.apply(issueExample());
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
