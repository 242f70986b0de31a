package dev.stagegate.migration;

import dev.stagegate.datacompare.ConnectionSource;
import dev.stagegate.sql.SingleStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * A connection that cannot write: read-only at the driver, the session and the transaction, which is
 * always rolled back. Every statement gets a timeout. Guards, the schema probe and the boundary queries
 * run here; nothing the operator itself runs can change a database.
 */
final class ReadOnlySession implements AutoCloseable {
  private final Connection connection;
  private final boolean postgres;

  private ReadOnlySession(Connection connection, boolean postgres) {
    this.connection = connection;
    this.postgres = postgres;
  }

  static ReadOnlySession open(ConnectionSource database) throws SQLException {
    Connection c = database.open();
    try {
      boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
      c.setReadOnly(true);
      try (Statement st = c.createStatement()) {
        st.execute(postgres ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY" : "SET SESSION TRANSACTION READ ONLY");
      }
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      return new ReadOnlySession(c, postgres);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  Connection connection() {
    return connection;
  }

  boolean postgres() {
    return postgres;
  }

  SingleStatement.Engine engine() {
    return postgres ? SingleStatement.Engine.POSTGRESQL : SingleStatement.Engine.MARIADB;
  }

  /** A statement whose execution the driver (and for PostgreSQL the server) cancels after {@code timeout}. */
  Statement statement(Duration timeout) throws SQLException {
    Statement st = connection.createStatement();
    st.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds())));
    if (postgres) {
      try (Statement set = connection.createStatement()) {
        set.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
      }
    }
    return st;
  }

  /** Quotes a name that was validated as a plain identifier and resolved against the database's metadata. */
  String quote(String identifier) {
    String q = postgres ? "\"" : "`";
    return q + identifier.replace(q, q + q) + q;
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
