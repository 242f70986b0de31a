package dev.stagegate.datacompare;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.UnaryOperator;

/** Opens a JDBC connection without ever letting a credential escape in an exception. */
public final class JdbcConnections {
  private JdbcConnections() {}

  /**
   * @param description how the database is named in errors (never the raw URL)
   * @param redact removes credentials from a driver's message
   */
  public static Connection open(String jdbcUrl, String username, String password, String description,
      UnaryOperator<String> redact) throws SQLException {
    Properties props = new Properties();
    if (username != null) {
      props.setProperty("user", username);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    // MariaDB's driver takes MySQL URLs only under its own scheme.
    String url = jdbcUrl.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + jdbcUrl.substring("jdbc:mysql:".length()) : jdbcUrl;
    try {
      return DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      // A new exception without the cause: driver messages and their causes may quote the URL or properties.
      throw new SQLException("cannot connect to " + description + ": " + redact.apply(e.getMessage()), e.getSQLState());
    }
  }
}
