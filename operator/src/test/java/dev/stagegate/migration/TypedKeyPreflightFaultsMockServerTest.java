package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.KeyCollation;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.Partition;
import dev.stagegate.testing.CuttableTcpProxy;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.GatedMetrics;
import dev.stagegate.testing.MigrationHarness;
import dev.stagegate.testing.PostgresServer;
import dev.stagegate.testing.TypedKeyLoader;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The source database going down while the preflight of a migration over a text key (`collation: Binary`) reads from
 * it through the comparison engine: the key's shape, or the stage boundaries. That is a database fault, not a spec
 * error: the migration pauses (`DatabaseUnreachable`, naming the Secret), creates no Job, counts no failure, and goes
 * on by itself once the database is back. Before, a failed key-shape read was a permanent `InvalidSpec` naming
 * spec.partition.key, and a failed boundary read a `NoEvidence` pause that did not say the database was unreachable.
 *
 * <p>The operator reaches the source through a {@link CuttableTcpProxy} cut exactly when a given connection opens; the
 * preflight's connections to the source come in a fixed order: its own read-only session (1), the comparison engine
 * reading the partition key's shape (2) and the compare check's source key (3), then the boundaries' row count (4).
 * The loader Jobs read the source directly.
 */
@Tag("postgres")
@EnableKubernetesMockClient(crud = true)
class TypedKeyPreflightFaultsMockServerTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final String NAME = "accounts-typed";
  private static final String PASSWORD = "Tf3-never-shown-8Lp";
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final int ROWS = 2_000;
  static KubernetesClient client;

  private CuttableTcpProxy proxy;
  private MigrationHarness harness;

  @BeforeEach
  void given() throws SQLException {
    int run = RUN.incrementAndGet();
    String suffix = ProcessHandle.current().pid() + "_" + run;
    String source = "typedfault_src_" + suffix;
    String target = "typedfault_tgt_" + suffix;
    PostgresServer.createDatabase(source);
    PostgresServer.createDatabase(target);
    try (Connection c = PostgresServer.connect(source); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE accounts (account_no varchar(20) PRIMARY KEY, full_name text)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts VALUES (?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          ps.setString(1, (i % 2 == 0 ? "AC-" : "ac-") + (i * 7919L % 100_003));
          ps.setString(2, "account " + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    try (Connection c = PostgresServer.connect(target); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE accounts (account_no varchar(20) PRIMARY KEY, full_name text)");
    }
    TypedKeyLoader loader = new TypedKeyLoader(
        new TypedKeyLoader.Table(PostgresServer.jdbcUrl(source), "postgres", "", "accounts", List.of("account_no"),
            "full_name"),
        new TypedKeyLoader.Table(PostgresServer.jdbcUrl(target), "postgres", "", "accounts", List.of("account_no"),
            "full_name"));
    proxy = new CuttableTcpProxy("localhost", PostgresServer.shared().getPort());
    String namespace = "typedfault-" + ProcessHandle.current().pid() % 10_000 + "-" + run;
    harness = new MigrationHarness(client, namespace, OperatorSettings.forTests("http://unused"),
        new GatedMetrics().value(0), loader).start();
    harness.databaseSecret("legacy-members-db", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + source,
        "postgres", PASSWORD);
    harness.databaseSecret("portal-db", PostgresServer.jdbcUrl(target), "postgres", PASSWORD);
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @DisplayName("given the source going down as the preflight reads the text key's shape, then the migration pauses (DatabaseUnreachable, naming the Secret) with no Job and no InvalidSpec, and goes on by itself to Succeeded once it is back")
  void sourceDownWhileReadingTheKeyShape() throws Exception {
    proxy.cutAtConnection(2);

    harness.apply(migration());

    pausedUnreachableWhile("reading the shape of spec.partition.key");
    proxy.restore();
    succeedsByItself();
  }

  @Test
  @DisplayName("given the source going down as the preflight computes the stage boundaries of a text key, then the migration pauses (DatabaseUnreachable, naming the Secret) with no Job, and goes on by itself to Succeeded once it is back")
  void sourceDownWhileComputingTheBoundaries() throws Exception {
    proxy.cutAtConnection(4);

    harness.apply(migration());

    pausedUnreachableWhile("computing the stage boundaries");
    proxy.restore();
    succeedsByItself();
  }

  // ----- steps

  /** Paused (not Failed), the first DatabaseUnreachable Warning says where; held with nothing written for 2 s. */
  private void pausedUnreachableWhile(String reading) throws InterruptedException {
    DataMigration paused = harness.awaitStatus(NAME, "paused or failed", m -> m.getStatus() != null
        && (m.getStatus().getPauseReason() != null || m.getStatus().getPhase() == MigrationPhase.Failed), WAIT);
    assertThat(paused.getStatus().getPhase()).as(paused.getStatus().getMessage()).isEqualTo(MigrationPhase.Paused);
    assertThat(paused.getStatus().getPauseReason()).as(paused.getStatus().getMessage())
        .isEqualTo("DatabaseUnreachable");
    assertThat(paused.getStatus().getFailureReason()).isNull();
    assertThat(paused.getStatus().getMessage()).contains("source database (Secret legacy-members-db)")
        .doesNotContain(PASSWORD);
    Event first = harness.events(NAME).stream().filter(e -> "DatabaseUnreachable".equals(e.getReason()))
        .findFirst().orElseThrow();
    assertThat(first.getMessage()).contains("the source database (Secret legacy-members-db) could not be reached while "
        + reading);

    Thread.sleep(2_000);
    DataMigration held = harness.get(NAME);
    assertThat(held.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(held.getStatus().getStages()).as("no boundaries fixed").isNullOrEmpty();
    assertThat(harness.jobs()).as("no Job").isEmpty();
    assertThat(harness.eventReasons(NAME)).doesNotContain("InvalidSpec", "GuardsPassed", "StageStarted");
  }

  private void succeedsByItself() {
    DataMigration done = harness.awaitStatus(NAME, "a final phase", m -> m.getStatus() != null
        && (m.getStatus().getPhase() == MigrationPhase.Succeeded || m.getStatus().getPhase() == MigrationPhase.Failed
            || m.getStatus().getPhase() == MigrationPhase.RolledBack), WAIT);
    assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(done.getStatus().getRowsMigrated()).isEqualTo((long) ROWS);
    assertThat(harness.jobs().stream().map(j -> j.getMetadata().getName()))
        .containsExactlyInAnyOrder(NAME + "-pilot-load", NAME + "-full-load");
    assertThat(harness.eventReasons(NAME)).contains("Resumed").doesNotContain("InvalidSpec");
  }

  /** Pilot 10%, full 100% over a text key compared by code points; one compare check of full_name. */
  private static DataMigration migration() {
    DataMigration m = DataMigrations.named(NAME, "portal")
        .worker(DataMigrations.job("loader", List.of()))
        .undo(DataMigrations.job("undo", List.of()))
        .stage("pilot", 10).stage("full", 100)
        .compare("accounts-match", "accounts", "accounts", List.of("full_name"), 0, 1)
        .build();
    Partition partition = new Partition("accounts", "account_no");
    partition.setCollation(KeyCollation.Binary);
    m.getSpec().setPartition(partition);
    m.getSpec().getVerify().get(0).getCompare().setKey("account_no");
    return m;
  }
}
