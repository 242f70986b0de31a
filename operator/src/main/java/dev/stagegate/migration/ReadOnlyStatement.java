package dev.stagegate.migration;

import dev.stagegate.sql.SingleStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Runs one user-written statement (a guard) in a transaction of its own that starts read-only, whatever an
 * earlier statement on the same connection did. Read-only at session level is not enough: on MariaDB a
 * guard {@code SET SESSION TRANSACTION READ WRITE} survives the rollback and a later DDL guard's implicit
 * commit would then run read-write. So before each statement the session default and the new transaction
 * are both set read-only again, and the text must be a single statement ({@link SingleStatement}) so it
 * cannot end that transaction and carry on.
 */
final class ReadOnlyStatement {
  private ReadOnlyStatement() {}

  /**
   * The first column of the first row as text ("NULL" for SQL NULL), or null when there is no row.
   *
   * @throws IllegalArgumentException when the text is more than one statement; nothing was sent then
   */
  static String firstValue(ReadOnlySession session, String sql, Duration timeout) throws SQLException {
    String statement = SingleStatement.of(sql, session.engine());
    Connection connection = session.connection();
    connection.rollback();
    try (Statement setup = connection.createStatement()) {
      if (session.postgres()) {
        setup.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        setup.execute("SET TRANSACTION READ ONLY");
        try (ResultSet rs = setup.executeQuery("SHOW transaction_read_only")) {
          if (!rs.next() || !"on".equals(rs.getString(1))) {
            throw new SQLException("the transaction for the statement is not read-only; refusing to run it", "25006");
          }
        }
      } else {
        setup.execute("SET SESSION TRANSACTION READ ONLY");
        setup.execute("START TRANSACTION READ ONLY");
      }
    }
    try (Statement st = session.statement(timeout); ResultSet rs = st.executeQuery(statement)) {
      return !rs.next() ? null : rs.getString(1) == null ? "NULL" : rs.getString(1);
    } finally {
      connection.rollback();
    }
  }
}
