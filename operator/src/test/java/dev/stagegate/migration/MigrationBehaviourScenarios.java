package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The rest of the DataMigration contract through the real operator and a real PostgreSQL, on 20,000 rows:
 * invalid input found in the databases, pauses without evidence, onFailure: Pause with its actions, the
 * backup, and that nothing from a Secret leaks. Run on the mock API server and on a real kube-apiserver.
 */
@Tag("postgres")
abstract class MigrationBehaviourScenarios extends MigrationScenarioBase {
  private static final long ROWS = SMALL_ROWS;

  private DataMigration twoStages() {
    return members2025().stage("pilot", 1).stage("full", 100).build();
  }

  private void sql(String database, String statement) throws Exception {
    try (Connection c = PostgresServer.connect(database); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  // ----- invalid input only the databases can reveal

  @Test
  @DisplayName("given a compare over a column the target lacks, then Failed/InvalidSpec names the field and the side, before any Job")
  void compareColumnMissingOnOneSide() throws Exception {
    sql(target, "ALTER TABLE members DROP COLUMN plan_code");
    harness.apply(twoStages());
    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(condition(failed, "Stalled").getReason()).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().getMessage()).contains("spec.verify[0].compare.columns", "plan_code",
        "target database (Secret portal-db)");
    assertThat(harness.jobs()).isEmpty();
  }

  @Test
  @DisplayName("given a partition key that does not exist, then Failed/InvalidSpec names spec.partition.key")
  void partitionKeyMissing() {
    harness.apply(members2025().partition("members", "memberid").stage("pilot", 1).stage("full", 100).build());
    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().getMessage()).contains("spec.partition.key", "memberid");
    assertThat(harness.jobs()).isEmpty();
  }

  @Test
  @DisplayName("given a Secret without jdbcUrl, then Failed/InvalidSpec names the field and the Secret")
  void secretWithoutJdbcUrl() {
    harness.databaseSecret("portal-db", null, "postgres", PASSWORD);
    harness.apply(twoStages());
    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().getMessage()).contains("spec.target.secretRef", "portal-db", "jdbcUrl");
    assertThat(harness.jobs()).isEmpty();
  }

  @Test
  @DisplayName("given a target already holding rows in the migration's keys, then it is refused before any write (an undo would delete them)")
  void targetNotEmpty() throws Exception {
    sql(target, "INSERT INTO members VALUES (5, 'Someone', 'someone@mail.members.org', 'PLUS', DATE '2021-01-01')");
    harness.apply(twoStages());
    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("TargetNotEmpty");
    assertThat(failed.getStatus().getMessage()).contains("already holds 1 rows", "[5]");
    assertThat(harness.jobs()).isEmpty();
  }

  // ----- no evidence: pause, never write, never roll back

  @Test
  @DisplayName("given an unreachable source database, then it pauses (DatabaseUnreachable) without a Job, and continues by itself once the Secret is fixed; no password or URL leaks anywhere")
  void unreachableDatabasePausesAndNothingLeaks() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String badUrl = "jdbc:postgresql://localhost:" + closedPort + "/" + sourceDatabase() + "?user=postgres&password=" + PASSWORD;
    String goodUrl = PostgresServer.jdbcUrl(sourceDatabase()) + "?user=postgres&password=" + PASSWORD;
    harness.databaseSecret("legacy-members-db", badUrl, "postgres", PASSWORD);
    harness.apply(twoStages());

    DataMigration paused = harness.awaitPause(NAME, "DatabaseUnreachable", WAIT);
    assertThat(paused.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(condition(paused, "Stalled").getReason()).isEqualTo("DatabaseUnreachable");
    assertThat(paused.getStatus().getMessage()).contains("source database (Secret legacy-members-db)", "refused");
    assertThat(harness.jobs()).isEmpty();

    harness.databaseSecret("legacy-members-db", goodUrl, "postgres", PASSWORD);
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);

    String everything = Serialization.asJson(done.getStatus()) + "\n"
        + harness.events(NAME).stream().map(Event::getMessage).collect(Collectors.joining("\n")) + "\n"
        + harness.operator().registry().scrape() + "\n"
        + logs.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
            : ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.joining("\n"));
    assertThat(everything).contains("DatabaseUnreachable").contains("legacy-members-db")
        .doesNotContain(PASSWORD).doesNotContain(badUrl).doesNotContain(goodUrl).doesNotContain("password=");
    stopCapturing(logs);
  }

  @Test
  @DisplayName("given Prometheus answers NoData after the pilot, then it pauses (NoEvidence) with nothing more loaded and no rollback, and continues once the data is there")
  void prometheusNoDataPauses() throws Exception {
    metrics.answer(new QueryResult.Empty());
    harness.apply(twoStages());
    DataMigration paused = harness.awaitPause(NAME, "NoEvidence", WAIT);
    assertThat(paused.getStatus().getStages().get(0).getState()).isEqualTo(StageState.Loaded);
    assertThat(condition(paused, "Stalled").getStatus()).isEqualTo("True");
    Thread.sleep(3_000);
    DataMigration still = harness.get(NAME);
    assertThat(still.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(still.getStatus().getRollback()).isNull();
    assertThat(harness.jobRuns()).isEqualTo(Map.of("members-2025-pilot-load", 1));

    metrics.value(0);
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    harness.awaitEvents(NAME, WAIT, "NoEvidence", "Resumed");
  }

  @Test
  @DisplayName("given the Prometheus check above max after the pilot, then the pilot is rolled back as for a Release")
  void prometheusAboveMaxRollsBack() throws Exception {
    metrics.value(12);
    harness.apply(twoStages());
    DataMigration rolledBack = harness.awaitPhase(NAME, MigrationPhase.RolledBack, WAIT);
    assertThat(rolledBack.getStatus().getRollback().getMessage()).contains("loader-errors");
    assertThat(check(rolledBack.getStatus().getVerify(), "loader-errors").getValue()).isEqualTo("12");
    assertThat(targetChecksum()).isEqualTo(before);
  }

  // ----- onFailure: Pause and the actions

  @Test
  @DisplayName("given onFailure: Pause and a crashing loader, then it pauses; after the fix, retry-stage undoes the stage and loads it again under a new Job")
  void pauseThenRetryStage() throws Exception {
    loader.fault(MemberLoader.Fault.FAIL);
    harness.apply(members2025().stage("pilot", 1).stage("full", 100).pauseOnFailure().build());
    DataMigration paused = harness.awaitPause(NAME, "WorkerFailed", WAIT);
    assertThat(paused.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(paused.getStatus().getMessage()).contains("simulated fault");
    assertThat(paused.getStatus().getStages().get(0).getState()).isEqualTo(StageState.Failed);

    loader.fault(MemberLoader.Fault.NONE);
    harness.annotate(NAME, "retry-stage");
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(loader.started()).containsExactly("members-2025-pilot-load", "members-2025-pilot-undo",
        "members-2025-pilot-load-2", "members-2025-full-load");
    assertThat(check(done.getStatus().getVerify(), "members-match").getSourceRows()).isEqualTo(ROWS);
  }

  @Test
  @DisplayName("given a migration waiting for approval, when abort is annotated, then every loaded stage is undone newest first and the target is as before")
  void abortUndoesNewestFirst() throws Exception {
    harness.apply(members2025().stage("pilot", 1).manualStage("ramp", 10).stage("full", 100).build());
    harness.awaitPause(NAME, "AwaitingApproval", WAIT);
    harness.annotate(NAME, "abort");
    DataMigration rolledBack = harness.awaitPhase(NAME, MigrationPhase.RolledBack, WAIT);
    assertThat(rolledBack.getStatus().getRollback().getReason()).isEqualTo("Aborted");
    assertThat(loader.started()).containsExactly("members-2025-pilot-load", "members-2025-ramp-load",
        "members-2025-ramp-undo", "members-2025-pilot-undo");
    assertThat(targetChecksum()).isEqualTo(before);
  }

  @Test
  @DisplayName("given a backup Job, then it runs before the first write, and the metrics show the migration's phase, rows and mismatches")
  void backupFirstAndMetrics() {
    harness.apply(members2025().stage("pilot", 1).stage("full", 100)
        .backup(DataMigrations.job("backup", List.of())).build());
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(done.getStatus().getBackup().getName()).isEqualTo("members-2025-backup");
    assertThat(loader.started()).first().isEqualTo("members-2025-backup");

    String scrape = harness.operator().registry().scrape();
    String tags = "name=\"members-2025\",namespace=\"" + harness.namespace() + "\"";
    assertThat(scrape)
        .contains("stagegate_migration_phase{" + tags + ",phase=\"Succeeded\"} 1.0")
        .contains("stagegate_migration_rows{" + tags + ",side=\"source\"} " + ROWS + ".0")
        .contains("stagegate_migration_rows{" + tags + ",side=\"target\"} " + ROWS + ".0")
        .contains("stagegate_migration_stage{" + tags + "} -1.0")
        .contains("stagegate_verify_mismatches{check=\"members-match\",kind=\"changed\"," + tags + "} 0.0")
        .contains("stagegate_verify_duration_seconds_count{check=\"members-match\"," + tags + "} 2");
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }

  private static void stopCapturing(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
  }
}
