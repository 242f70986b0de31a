package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.VerifyStatus;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every DataMigration scenario starts from: a real PostgreSQL with a "production" source and a "UAT"
 * source of fixtures under the same keys (seeded once per JVM, only read by scenarios), a fresh target that
 * already holds accounts of its own, the two Secrets, and the operator with FakeJobRunner playing the Jobs.
 */
public abstract class MigrationScenarioBase {
  protected static final int EXISTING = 500;
  protected static final long SMALL_ROWS = 20_000;
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

  /** Plain test settings; the real-API-server classes write status with server-side apply instead. */
  protected OperatorSettings settings() {
    return OperatorSettings.forTests("http://unused");
  }

  /** Where Prometheus checks are asked: a gated fake answering 0 unless a scenario needs another. */
  protected MetricsSources metricsSources() {
    return metrics;
  }

  /** The small tables ({@link #SMALL_ROWS} members) unless a scenario needs the large ones. */
  protected String sourceDatabase() {
    return "small_prod";
  }

  protected String fixturesDatabase() {
    return "small_uat";
  }

  protected long rows() {
    return SMALL_ROWS;
  }

  @BeforeEach
  void startCluster() throws SQLException {
    long t0 = System.nanoTime();
    MemberTables.seedOnce(sourceDatabase(), rows(), false);
    MemberTables.seedOnce(fixturesDatabase(), rows(), true);
    int run = RUN.incrementAndGet();
    target = "portal_" + ProcessHandle.current().pid() + "_" + run;
    PostgresServer.createDatabase(target);
    try (Connection c = PostgresServer.connect(target)) {
      MemberTables.seedExistingAccounts(c, EXISTING);
      before = MemberTables.checksum(c);
    }
    loader = new MemberLoader(PostgresServer.jdbcUrl(fixturesDatabase()));
    String namespace = "portal-" + ProcessHandle.current().pid() % 10_000 + "-" + run;
    harness = new MigrationHarness(client(), namespace, settings(), metricsSources(), loader).start();
    harness.databaseSecret("legacy-members-db", PostgresServer.jdbcUrl(sourceDatabase()), "postgres", PASSWORD);
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

  /** The members-2025 (guarding this scenario's production database), Jobs reading both Secrets. */
  protected DataMigrations members2025() {
    List<EnvVar> source = List.of(DataMigrations.fromSecret("SOURCE_URL", "legacy-members-db", "jdbcUrl"),
        DataMigrations.fromSecret("SOURCE_USER", "legacy-members-db", "username"),
        DataMigrations.fromSecret("SOURCE_PASSWORD", "legacy-members-db", "password"));
    List<EnvVar> targetEnv = List.of(DataMigrations.fromSecret("TARGET_URL", "portal-db", "jdbcUrl"),
        DataMigrations.fromSecret("TARGET_USER", "portal-db", "username"),
        DataMigrations.fromSecret("TARGET_PASSWORD", "portal-db", "password"));
    return DataMigrations.named(NAME, "portal")
        .guardEquals("source-is-production", dev.stagegate.api.migration.DatabaseSide.source, "select current_database()",
            sourceDatabase())
        .guardMax("no-test-fixtures", dev.stagegate.api.migration.DatabaseSide.source,
            "select count(*) from members where email like '%@example.com'", 0)
        .worker(DataMigrations.job("loader", Stream.concat(source.stream(), targetEnv.stream()).toList()))
        .undo(DataMigrations.job("undo", targetEnv))
        .compare("members-match", 0)
        .prometheusCheck("loader-errors",
            "sum(increase(loader_records_failed_total{migration=\"{{name}}\",stage=\"{{stage}}\"}[5m]))", 0, 1);
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

  /** Approves a Manual stage when the migration asks, until it reaches a terminal phase. */
  protected DataMigration runToEnd() {
    for (int approvals = 0; ; approvals++) {
      DataMigration m = harness.awaitStatus(NAME, x -> "AwaitingApproval".equals(x.getStatus().getPauseReason())
          || terminal(x.getStatus().getPhase()), WAIT);
      if (terminal(m.getStatus().getPhase())) {
        return m;
      }
      assertThat(approvals).as("approvals asked").isLessThan(5);
      String stage = m.getStatus().getCurrentStage();
      harness.annotate(NAME, "approve");
      harness.awaitStatus(NAME, x -> !"AwaitingApproval".equals(x.getStatus().getPauseReason())
          || !stage.equals(x.getStatus().getCurrentStage()), WAIT);
    }
  }

  protected static boolean terminal(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed;
  }

  protected static Condition condition(DataMigration m, String type) {
    return m.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  protected static VerifyStatus check(List<VerifyStatus> checks, String name) {
    return checks.stream().filter(v -> name.equals(v.getName())).findFirst().orElseThrow();
  }
}
