package dev.stagegate.datacompare;

import dev.stagegate.sql.ConnectionFailure;
import dev.stagegate.sql.JdbcAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens a JDBC connection without ever letting a credential escape in an exception. */
public final class JdbcConnections {
  private JdbcConnections() {}

  /**
   * User and password given here win over those in the URL's user info, which is never handed to the driver
   * (the MariaDB driver would read {@code app:S3cret@db} as a host and port and quote it in its error).
   *
   * @param description how the database is named in errors (never the raw URL)
   */
  public static Connection open(String jdbcUrl, String username, String password, String description)
      throws SQLException {
    JdbcAddress address = JdbcAddress.parse(jdbcUrl);
    Properties props = new Properties();
    String user = username != null ? username : address.user().orElse(null);
    String secret = password != null ? password : address.password().orElse(null);
    if (user != null) {
      props.setProperty("user", user);
    }
    if (secret != null) {
      props.setProperty("password", secret);
    }
    String url = address.driverUrl();
    // MariaDB's driver takes MySQL URLs only under its own scheme.
    if (url.startsWith("jdbc:mysql:")) {
      url = "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
    }
    try {
      return DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      // A new exception without the cause, worded by us: driver messages and causes may quote the URL.
      throw new SQLException("cannot connect to " + description + " at " + address + ": "
          + ConnectionFailure.reason(e), e.getSQLState(), e.getErrorCode());
    }
  }
}
