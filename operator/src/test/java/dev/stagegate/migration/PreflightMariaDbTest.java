package dev.stagegate.migration;

import dev.stagegate.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The same preflight on MariaDB: its read-only session, max_statement_time and LIMIT/OFFSET quantiles. */
@Tag("mariadb")
class PreflightMariaDbTest extends PreflightScenarios {
  private static MariaDbServer server;

  @BeforeAll
  static void startMariaDb() {
    server = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void createTables() throws SQLException {
    try (Connection c = admin()) {
      seed(c, ROWS);
    }
  }

  @Override
  protected SecretDatabase database(String role) {
    return new SecretDatabase(role, role + "-db", server.jdbcUrl(), server.user(), server.password());
  }

  @Override
  protected Connection admin() throws SQLException {
    return server.connect();
  }

  @Override
  protected String databaseName() {
    return server.database();
  }

  @Override
  protected String currentDatabaseQuery() {
    return "select database()";
  }

  @Override
  protected String slowQuery() {
    return "select count(*) from seq_1_to_100000 a, seq_1_to_100000 b";
  }

  @Override
  protected String chainedEscape() {
    return "SET SESSION TRANSACTION READ WRITE; COMMIT; DELETE FROM members WHERE member_id < 50";
  }

  @Override
  protected List<String> singleStatementEscapes() {
    // A session switched to read-write survives ROLLBACK on MariaDB, and a DDL commits the read-only
    // transaction before it runs: without a fresh read-only session per statement the CREATE would land.
    return List.of(
        "SET SESSION TRANSACTION READ WRITE",
        "CREATE TABLE leaked_write (x int)",
        "SET SESSION TRANSACTION READ WRITE",
        "DELETE FROM members WHERE member_id < 50",
        "START TRANSACTION READ WRITE",
        "CREATE TABLE leaked_write (x int)",
        "SET SESSION TRANSACTION READ WRITE",
        "DROP TABLE members_copy",
        "SET @@session.tx_read_only = 0",
        "CREATE TABLE leaked_write (x int)");
  }

  @Override
  protected void seed(Connection c, int rows) throws SQLException {
    long dense = rows * 2L / 5;
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS members");
      st.execute("DROP TABLE IF EXISTS members_copy");
      st.execute("DROP TABLE IF EXISTS leaked_write");
      st.execute("CREATE TABLE members (member_id bigint PRIMARY KEY, full_name varchar(100) NOT NULL,"
          + " email varchar(200) NOT NULL, plan_code varchar(20) NOT NULL, enrolled_on date NOT NULL)");
      st.execute("CREATE TABLE members_copy LIKE members");
      st.execute("INSERT INTO members SELECT CASE WHEN seq <= " + dense + " THEN seq ELSE " + dense + " + (seq - "
          + dense + ") * 7 END, concat('Member ', seq), concat('member', seq, '@mail.members.org'),"
          + " elt(1 + seq % 4, 'BASIC', 'PLUS', 'PREMIUM', 'FAMILY'), DATE '2015-01-01' + INTERVAL (seq % 3650) DAY"
          + " FROM seq_1_to_" + rows);
    }
  }
}
