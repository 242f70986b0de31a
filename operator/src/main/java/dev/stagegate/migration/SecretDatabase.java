package dev.stagegate.migration;

import dev.stagegate.datacompare.ConnectionSource;
import dev.stagegate.datacompare.JdbcTarget;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database known through a Secret. Every message names it by role and Secret only ("source database
 * (Secret legacy-members-db)"): not even a masked URL reaches status, Events or logs.
 */
public final class SecretDatabase implements ConnectionSource {
  private final String role;
  private final String secretName;
  private final JdbcTarget target;

  public SecretDatabase(String role, String secretName, JdbcTarget target) {
    this.role = role;
    this.secretName = secretName;
    this.target = target;
  }

  public String role() {
    return role;
  }

  @Override
  public Connection open() throws SQLException {
    try {
      return target.open();
    } catch (SQLException e) {
      throw new SQLException("cannot connect to the " + description() + ": " + redact(e.getMessage()), e.getSQLState());
    }
  }

  @Override
  public String description() {
    return role + " database (Secret " + secretName + ")";
  }

  @Override
  public String redact(String message) {
    if (message == null) {
      return null;
    }
    String out = target.redact(message);
    // Host names and ports are not secret, but a URL with its parameters is one step from one: drop it.
    return out.replaceAll("jdbc:[a-z]+:[^\\s\"',)]+", "<jdbc url>");
  }

  @Override
  public String toString() {
    return description();
  }
}
