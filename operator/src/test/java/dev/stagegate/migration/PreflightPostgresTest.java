package dev.stagegate.migration;

import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
  protected void seed(Connection c, int rows) throws SQLException {
    MemberTables.seedProduction(c, rows);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE members_copy (LIKE members INCLUDING ALL)");
    }
  }
}
