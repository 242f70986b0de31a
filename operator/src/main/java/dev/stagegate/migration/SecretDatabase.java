package dev.stagegate.migration;

import dev.stagegate.datacompare.ConnectionSource;
import dev.stagegate.datacompare.JdbcConnections;
import dev.stagegate.sql.JdbcAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * A database known through a Secret. Every message names it by role and Secret ("source database (Secret
 * legacy-members-db)"), a failed connection also by engine, host, port and database ({@link JdbcAddress}):
 * neither its URL nor a password reaches status, Events or logs. A failed connection is worded by us
 * ({@link dev.stagegate.sql.ConnectionFailure}); later driver messages (a query error) keep their reason
 * with the URL, the password, the URL's user info and password parameters taken out.
 */
public final class SecretDatabase implements ConnectionSource {
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[A-Za-z0-9]+:[^\\s\"'<>]+");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|passwd|pwd)=)[^&;,\\s)]*");

  private final String role;
  private final String secretName;
  private final String jdbcUrl;
  private final String username;
  private final String password;

  public SecretDatabase(String role, String secretName, String jdbcUrl, String username, String password) {
    this.role = role;
    this.secretName = secretName;
    this.jdbcUrl = jdbcUrl;
    this.username = username;
    this.password = password;
  }

  public String role() {
    return role;
  }

  @Override
  public Connection open() throws SQLException {
    return JdbcConnections.open(jdbcUrl, username, password, "the " + description());
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
    String out = message.replace(jdbcUrl, "<jdbc url>");
    if (password != null && !password.isEmpty()) {
      out = out.replace(password, "***");
    }
    for (String secret : JdbcAddress.parse(jdbcUrl).secrets()) {
      out = out.replace(secret, "***");
    }
    out = JDBC_URL.matcher(out).replaceAll("<jdbc url>");
    return PASSWORD_PARAM.matcher(out).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return description();
  }
}
