package dev.stagegate.datacompare;

import dev.stagegate.sql.JdbcAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A database to connect to: JDBC URL, user and password. {@link #toString()}, {@link #description()} and
 * every exception it throws name it by engine, host, port and database ({@link JdbcAddress}), never by
 * its URL or password. {@code jdbc:mysql:} URLs are opened with the MariaDB driver.
 */
public final class JdbcTarget implements ConnectionSource {

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword|sslkeypassword)=)[^&;,)]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:;?]*:)[^@/]*@");

  private final String jdbcUrl;
  private final String username;
  private final String password;

  public JdbcTarget(String jdbcUrl, String username, String password) {
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.username = username;
    this.password = password;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String username() {
    return username;
  }

  /** The URL with any password in it replaced by {@code ***}. */
  public static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(masked).replaceAll("$1***@");
  }

  @Override
  public Connection open() throws SQLException {
    return JdbcConnections.open(jdbcUrl, username, password, description());
  }

  @Override
  public String description() {
    return JdbcAddress.parse(jdbcUrl) + (username == null ? "" : " as " + username);
  }

  @Override
  public String redact(String message) {
    if (message == null) {
      return null;
    }
    String out = message.replace(jdbcUrl, JdbcAddress.parse(jdbcUrl).toString());
    if (password != null && !password.isEmpty()) {
      out = out.replace(password, "***");
    }
    for (String secret : JdbcAddress.parse(jdbcUrl).secrets()) {
      out = out.replace(secret, "***");
    }
    return maskUrl(out);
  }

  @Override
  public String toString() {
    return "JdbcTarget[" + description() + "]";
  }
}
