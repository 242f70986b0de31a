package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.testing.CuttableTcpProxy;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The target database failing while a migration verifies its pilot, on a real PostgreSQL: unreachable (a proxy in
 * front of it cut), a compare statement past its timeout, and the compare's connection terminated mid-query
 * (`pg_terminate_backend` from another session). Each time: the check is an Error, never a pass or a fail, the
 * migration pauses with nothing more loaded and nothing undone, and it goes on by itself once the database is back.
 * The loader Jobs reach the database directly (a Secret of their own), so only the operator's reads are hit.
 */
@Tag("postgres")
@EnableKubernetesMockClient(crud = true)
class DatabaseFaultsMockServerTest extends MigrationScenarioBase {
  static KubernetesClient client;
  private static final String GATE_LOCK = "select pg_advisory_lock(4242)";
  private CuttableTcpProxy proxy;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @DisplayName("given the target unreachable while the pilot is verified, then it pauses (DatabaseUnreachable) with no next stage and no undo, and continues by itself to Succeeded once the database is back")
  void targetUnreachableDuringVerify() throws Exception {
    proxy = new CuttableTcpProxy("localhost", PostgresServer.shared().getPort());
    harness.databaseSecret("portal-db", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + target, "postgres",
        PASSWORD);
    MemberLoader.Gate pilot = loader.hold(NAME + "-pilot-load");
    harness.apply(migration("members").build());
    assertThat(pilot.awaitRunning(120)).isTrue();

    proxy.cut();
    pilot.release();

    DataMigration paused = harness.awaitPause(NAME, "DatabaseUnreachable", WAIT);
    assertThat(paused.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(paused.getStatus().getMessage()).contains("target database (Secret portal-db)");
    assertThat(compare(paused).getResult()).isEqualTo(CheckResult.Error);
    heldWithPilotOnly();

    proxy.restore();
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(jobNames()).containsExactlyInAnyOrder(NAME + "-pilot-load", NAME + "-full-load");
  }

  @Test
  @DisplayName("given the compare's connection terminated mid-query (pg_terminate_backend), then the check is an Error and the migration pauses with no next stage and no undo; it continues by itself to Succeeded")
  void connectionDroppedMidCompare() throws Exception {
    gatedView();
    try (Connection holder = PostgresServer.connect(target); Statement st = holder.createStatement()) {
      MemberLoader.Gate pilot = loader.hold(NAME + "-pilot-load");
      harness.apply(migration("members_gated").build());
      assertThat(pilot.awaitRunning(120)).isTrue();
      st.execute(GATE_LOCK);
      pilot.release();

      // when the compare blocks in the view, its backend is terminated from this session
      int terminated = terminateBlockedCompare(holder);
      assertThat(terminated).as("compare backends terminated mid-query").isEqualTo(1);

      DataMigration paused = harness.awaitStatus(NAME, "paused on the dropped compare",
          m -> m.getStatus().getPhase() == MigrationPhase.Paused && compare(m) != null
              && compare(m).getResult() == CheckResult.Error, WAIT);
      assertThat(compare(paused).getMessage()).containsIgnoringCase("terminat");
      heldWithPilotOnly();
      st.execute("select pg_advisory_unlock(4242)");
    }
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(jobNames()).containsExactlyInAnyOrder(NAME + "-pilot-load", NAME + "-full-load");
  }

  @Test
  @DisplayName("given a compare statement that runs past its timeout, then the check is an Error naming spec.verify[0].compare and its timeout, the statement is cancelled on the server, and the migration pauses with no next stage and no undo; it continues by itself")
  void compareStatementTimeout() throws Exception {
    gatedView();
    try (Connection holder = PostgresServer.connect(target); Statement st = holder.createStatement()) {
      MemberLoader.Gate pilot = loader.hold(NAME + "-pilot-load");
      DataMigration spec = migration("members_gated").build();
      spec.getSpec().getVerify().get(0).getCompare().setTimeout("1s");
      harness.apply(spec);
      assertThat(pilot.awaitRunning(120)).isTrue();
      st.execute(GATE_LOCK);
      pilot.release();

      DataMigration paused = harness.awaitStatus(NAME, "paused on the timed-out compare",
          m -> m.getStatus().getPhase() == MigrationPhase.Paused && compare(m) != null
              && compare(m).getResult() == CheckResult.Error, WAIT);
      // PostgreSQL says only "canceling statement due to user request": the message names the check's timeout.
      assertThat(compare(paused).getMessage())
          .contains("compare spec.verify[0].compare exceeded its timeout 1s", "members_gated",
              "target database (Secret portal-db)", "cancelled on the server")
          .doesNotContain("due to user request");
      assertThat(paused.getStatus().getPauseReason()).isEqualTo("NoEvidence");
      heldWithPilotOnly();
      // The timed-out statement does not keep a backend blocked (waiting) on the server.
      await("timed-out compare statements cancelled").atMost(Duration.ofSeconds(10))
          .until(() -> blockedBackends(holder) <= 1);
      st.execute("select pg_advisory_unlock(4242)");
    }
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
  }

  // ----- helpers

  /** members, read through a view that waits while another session holds advisory lock 4242. */
  private void gatedView() throws Exception {
    try (Connection c = PostgresServer.connect(target); Statement st = c.createStatement()) {
      st.execute("create function gate_open() returns boolean language plpgsql volatile as $$"
          + " begin perform pg_advisory_lock_shared(4242); perform pg_advisory_unlock_shared(4242); return true; end $$");
      st.execute("create view members_gated as select * from members where (select gate_open())");
    }
  }

  private int terminateBlockedCompare(Connection holder) throws Exception {
    AtomicInteger killed = new AtomicInteger();
    await("a compare blocked in the view").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      try (Statement st = holder.createStatement(); ResultSet rs = st.executeQuery(
          "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database()"
              + " and pid <> pg_backend_pid() and wait_event_type = 'Lock' and wait_event = 'advisory'")) {
        rs.next();
        killed.addAndGet(rs.getInt(1));
      }
      return killed.get() > 0;
    });
    return killed.get();
  }

  private static int blockedBackends(Connection holder) throws Exception {
    try (Statement st = holder.createStatement(); ResultSet rs = st.executeQuery(
        "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
            + " and wait_event_type = 'Lock' and wait_event = 'advisory'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Held: over two seconds no Job beyond the pilot's load, no undo, still Paused. */
  private void heldWithPilotOnly() throws InterruptedException {
    Thread.sleep(2_000);
    assertThat(jobNames()).containsExactly(NAME + "-pilot-load");
    assertThat(harness.get(NAME).getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(harness.eventReasons(NAME)).doesNotContain("RolledBack", "VerifyFailed");
  }

  private List<String> jobNames() {
    return harness.jobs().stream().map(j -> j.getMetadata().getName()).toList();
  }

  private static VerifyStatus compare(DataMigration m) {
    return m.getStatus().getVerify() == null ? null : m.getStatus().getVerify().stream()
        .filter(v -> "members-match".equals(v.getName())).findFirst().orElse(null);
  }

  /** Two stages; the operator reads the target through Secret portal-db, the Jobs through portal-db-direct. */
  private DataMigrations migration(String targetTable) {
    harness.databaseSecret("portal-db-direct", PostgresServer.jdbcUrl(target), "postgres", PASSWORD);
    List<EnvVar> source = List.of(DataMigrations.fromSecret("SOURCE_URL", "legacy-members-db", "jdbcUrl"),
        DataMigrations.fromSecret("SOURCE_USER", "legacy-members-db", "username"),
        DataMigrations.fromSecret("SOURCE_PASSWORD", "legacy-members-db", "password"));
    List<EnvVar> targetEnv = List.of(DataMigrations.fromSecret("TARGET_URL", "portal-db-direct", "jdbcUrl"),
        DataMigrations.fromSecret("TARGET_USER", "portal-db-direct", "username"),
        DataMigrations.fromSecret("TARGET_PASSWORD", "portal-db-direct", "password"));
    return DataMigrations.named(NAME, "portal")
        .guardEquals("source-is-production", DatabaseSide.source, "select current_database()", sourceDatabase())
        .worker(DataMigrations.job("loader", Stream.concat(source.stream(), targetEnv.stream()).toList()))
        .undo(DataMigrations.job("undo", targetEnv))
        .compare("members-match", "members", targetTable, DataMigrations.MEMBER_COLUMNS, 0, 1)
        .stage("pilot", 1).stage("full", 100);
  }

}
