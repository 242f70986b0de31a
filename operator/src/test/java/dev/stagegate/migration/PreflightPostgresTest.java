package dev.stagegate.migration;

import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PreflightPostgresTest extends PreflightScenarios {
  private static final AtomicInteger RUN = new AtomicInteger();
  private String database;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = "preflight_" + ProcessHandle.current().pid() + "_" + RUN.incrementAndGet();
    PostgresServer.createDatabase(database);
    try (Connection c = admin()) {
      seed(c, ROWS);
    }
  }

  @Override
  protected SecretDatabase database(String role) {
    return new SecretDatabase(role, role + "-db", PostgresServer.jdbcUrl(database), "postgres", "");
  }

  @Override
  protected Connection admin() throws SQLException {
    return PostgresServer.connect(database);
  }

  @Override
  protected String databaseName() {
    return database;
  }

  @Override
  protected String currentDatabaseQuery() {
    return "select current_database()";
  }

  @Override
  protected String slowQuery() {
    return "select count(*) from generate_series(1, 100000) a, generate_series(1, 100000) b";
  }

  @Override
  protected String chainedEscape() {
    return "COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; COMMIT; DELETE FROM members WHERE member_id < 50";
  }

  @Override
  protected List<String> singleStatementEscapes() {
    return List.of(
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        "CREATE TABLE leaked_write AS SELECT 1 AS x",
        "COMMIT",
        "DELETE FROM members WHERE member_id < 50 RETURNING 1",
        "SET TRANSACTION READ WRITE",
        "BEGIN READ WRITE",
        "CREATE TABLE leaked_write AS SELECT 1 AS x",
        // one statement, the semicolons inside a dollar quote: a DO block cannot commit inside our transaction
        "DO $$BEGIN COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; "
            + "DELETE FROM members WHERE member_id < 50; CREATE TABLE leaked_write (x int); END$$",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        "CREATE TABLE leaked_write AS SELECT 1 AS x");
  }

  @Override
  protected void seed(Connection c, int rows) throws SQLException {
    MemberTables.seedProduction(c, rows);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE members_copy (LIKE members INCLUDING ALL)");
    }
  }
}
