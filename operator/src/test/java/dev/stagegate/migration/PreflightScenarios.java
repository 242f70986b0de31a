package dev.stagegate.migration;

import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.testing.DataMigrations;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks before the first write, straight against a real database engine (no cluster): row-quantile
 * boundaries over a key with gaps, guards that cannot write and cannot run past their timeout, schema
 * problems as InvalidSpec. Each engine's subclass provides the connection and its SQL dialect.
 */
public abstract class PreflightScenarios {
  protected static final int ROWS = 10_000;

  /** The database as the operator would open it from a Secret. */
  protected abstract SecretDatabase database(String role);

  /** A connection for setting up data, outside the operator. */
  protected abstract Connection admin() throws SQLException;

  /** The engine's name for the current database, and the guard query returning it. */
  protected abstract String databaseName();

  protected abstract String currentDatabaseQuery();

  /** A query that takes far longer than a second. */
  protected abstract String slowQuery();

  /** Fills members (the source, first 40% of keys dense, then every 7th) and creates an empty members_copy. */
  protected abstract void seed(Connection c, int rows) throws SQLException;

  private Preflight preflight(DataMigrationSpec spec) {
    return new Preflight(spec, database("source"), database("target"), Clock.systemUTC());
  }

  private DataMigrations spec() {
    return DataMigrations.named("m", "ns")
        .stage("pilot", 1).stage("ramp", 10).stage("full", 100)
        .compare("rows-match", "members", "members_copy", DataMigrations.MEMBER_COLUMNS, 0, 1);
  }

  private long count(String table) throws SQLException {
    try (Connection c = admin(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName("given a key with gaps, then stage k ends after percent_k of the rows, not of the key space, and the last after the largest key")
  void boundariesFollowRows() {
    PreflightOutcome outcome = preflight(spec()
        .guardEquals("right-database", DatabaseSide.source, currentDatabaseQuery(), databaseName()).build().getSpec()).run();

    assertThat(outcome).isInstanceOf(PreflightOutcome.Ready.class);
    Boundaries b = ((PreflightOutcome.Ready) outcome).boundaries();
    long dense = ROWS * 2 / 5;
    long max = dense + (ROWS - dense) * 7L;
    assertThat(b.totalRows()).isEqualTo(ROWS);
    assertThat(b.stages()).containsExactly(new StageRange(1, 101, 100), new StageRange(101, 1_001, 900),
        new StageRange(1_001, max + 1, ROWS - 1_000));
    assertThat(((PreflightOutcome.Ready) outcome).guards()).extracting(g -> g.name() + " " + g.result() + " " + g.observed())
        .containsExactly("right-database Pass " + databaseName());
  }

  @Test
  @DisplayName("given a guard that tries to write, then the read-only transaction refuses it: an Error (never a pass) and nothing changed")
  void guardsCannotWrite() throws SQLException {
    PreflightOutcome outcome = preflight(spec()
        .guardMax("sneaky", DatabaseSide.source, "DELETE FROM members WHERE member_id < 50", 0).build().getSpec()).run();

    assertThat(outcome).isInstanceOfSatisfying(PreflightOutcome.Blocked.class, b -> {
      assertThat(b.reason()).isEqualTo(MigrationReasons.Cause.GuardError);
      assertThat(b.message()).containsIgnoringCase("read");
    });
    assertThat(count("members")).isEqualTo(ROWS);
  }

  @Test
  @DisplayName("given a guard slower than its timeout, then it is cancelled and reported as an Error")
  void guardsHaveATimeout() {
    var spec = spec().guardMax("slow", DatabaseSide.target, slowQuery(), 0).build().getSpec();
    spec.getGuards().get(0).getSql().setTimeout("1s");
    long t0 = System.nanoTime();
    PreflightOutcome outcome = preflight(spec).run();
    long millis = (System.nanoTime() - t0) / 1_000_000;

    assertThat(outcome).isInstanceOfSatisfying(PreflightOutcome.Blocked.class,
        b -> assertThat(b.guards().get(0).result()).isEqualTo(dev.stagegate.api.common.CheckResult.Error));
    assertThat(millis).as("cancelled near its 1s timeout").isLessThan(15_000);
  }

  @Test
  @DisplayName("given a failing guard, then the outcome is GuardFailed with the expectation and the observed value")
  void failingGuard() {
    PreflightOutcome outcome = preflight(spec()
        .guardEquals("right-database", DatabaseSide.source, currentDatabaseQuery(), "members_prod")
        .guardMax("no-fixtures", DatabaseSide.source, "SELECT count(*) FROM members", 0).build().getSpec()).run();

    assertThat(outcome).isInstanceOfSatisfying(PreflightOutcome.Refused.class, r -> {
      assertThat(r.reason()).isEqualTo(MigrationReasons.Cause.GuardFailed);
      assertThat(r.message()).contains("right-database failed: expected = members_prod, saw " + databaseName())
          .contains("no-fixtures failed: expected <= 0, saw " + ROWS);
    });
  }

  @Test
  @DisplayName("given a compare column missing on the target or a partition key that is not there, then InvalidSpec names the fields")
  void schemaProblems() throws SQLException {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE members_copy DROP COLUMN plan_code");
    }
    var spec = spec().partition("members", "missing_key").build().getSpec();
    PreflightOutcome outcome = preflight(spec).run();

    assertThat(outcome).isInstanceOfSatisfying(PreflightOutcome.Invalid.class, i -> assertThat(i.errors())
        .anySatisfy(e -> assertThat(e).startsWith("spec.partition.key: column missing_key does not exist"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.verify[0].compare.columns: plan_code does not exist in table"
            + " members_copy of the target database")));
  }

  @Test
  @DisplayName("given an unreachable database, then the outcome is Blocked (DatabaseUnreachable), never a pass")
  void unreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SecretDatabase nowhere = new SecretDatabase("source", "gone", "jdbc:postgresql://127.0.0.1:" + port + "/x",
        "u", "p");
    PreflightOutcome outcome = new Preflight(spec().build().getSpec(), nowhere, database("target"), Clock.systemUTC()).run();
    assertThat(outcome).isInstanceOfSatisfying(PreflightOutcome.Blocked.class,
        b -> assertThat(b.reason()).isEqualTo(MigrationReasons.Cause.DatabaseUnreachable));
  }
}
