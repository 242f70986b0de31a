package dev.stagegate.sql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JDBC URL split into what may be shown and what may not. {@link #toString()} renders engine, hosts,
 * ports and database only ({@code postgresql://db.internal:5432/members}): never user info, never a query
 * parameter. Messages about a database are built from this, so a credential cannot reach a status, an
 * Event, a log line or a metric whatever a driver puts in its own messages.
 *
 * <p>Credentials in the URL's user info ({@code jdbc:mysql://app:S3cret@db/members}, which the docs allow
 * but the MariaDB driver reads as a port) are taken out of the URL handed to the driver and passed as
 * connection properties instead. Query parameters stay in the driver URL (each driver decodes them its own
 * way); the values of password-like ones are remembered as {@link #secrets()}.
 *
 * <p>When in doubt less is shown: a host or port that does not look like one is rendered as {@code ?},
 * since a mis-split URL (an unencoded '/' or '?' in a password) could otherwise show part of the password.
 */
public final class JdbcAddress {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$.-]{1,128}");
  /** Parameters whose values are kept out of any message even after a driver echoes them. */
  private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)pass|pwd|secret|token|key|cred|auth");
  private static final Pattern ENGINE = Pattern.compile("[a-z0-9]{1,20}");

  private final String engine;
  private final String shown;
  private final String driverUrl;
  private final String user;
  private final String password;
  private final Set<String> secrets;

  private JdbcAddress(String engine, String shown, String driverUrl, String user, String password, Set<String> secrets) {
    this.engine = engine;
    this.shown = shown;
    this.driverUrl = driverUrl;
    this.user = user;
    this.password = password;
    this.secrets = secrets;
  }

  /** Never throws: what cannot be read is not shown, and the driver gets the URL as it was. */
  public static JdbcAddress parse(String url) {
    String text = url == null ? "" : url.strip();
    Set<String> secrets = new LinkedHashSet<>();
    if (!text.startsWith("jdbc:")) {
      return new JdbcAddress("?", "a database (the JDBC URL is not shown)", text, null, null, secrets);
    }
    int engineEnd = text.indexOf(':', 5);
    String engine = engineEnd < 0 ? "?" : text.substring(5, engineEnd).toLowerCase(Locale.ROOT);
    if (!ENGINE.matcher(engine).matches()) {
      engine = "?";
    }
    int slashes = text.indexOf("//");
    if (engineEnd < 0 || slashes < 0) {
      // jdbc:postgresql:members: a local database by name, nothing secret in it but parameters.
      String rest = engineEnd < 0 ? "" : text.substring(engineEnd + 1);
      String database = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
      rememberParameters(rest, secrets);
      return new JdbcAddress(engine, engine + "://localhost/" + shownDatabase(database), text, null, null, secrets);
    }
    String prefix = text.substring(0, slashes + 2); // jdbc:mariadb:replication:// keeps its mode for the driver
    String rest = text.substring(slashes + 2);
    int query = rest.indexOf('?');
    String beforeQuery = query < 0 ? rest : rest.substring(0, query);
    String queryPart = query < 0 ? "" : rest.substring(query);
    rememberParameters(queryPart, secrets);

    String user = null;
    String password = null;
    int at = beforeQuery.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = beforeQuery.substring(0, at);
      secrets.add(userInfo);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        password = decode(userInfo.substring(colon + 1));
        secrets.add(userInfo.substring(colon + 1));
        secrets.add(password);
      }
      beforeQuery = beforeQuery.substring(at + 1);
    }
    int slash = beforeQuery.indexOf('/');
    String hosts = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    String database = slash < 0 ? "" : beforeQuery.substring(slash + 1);
    String shown = engine + "://" + shownHosts(hosts) + "/" + shownDatabase(database);
    secrets.removeIf(String::isEmpty);
    return new JdbcAddress(engine, shown, prefix + beforeQuery + queryPart, user, password, secrets);
  }

  /** postgresql, mariadb or mysql (or ? when unreadable). */
  public String engine() {
    return engine;
  }

  /** The URL for the driver: as given, minus any user info. */
  public String driverUrl() {
    return driverUrl;
  }

  /** The user from the URL's user info, if any. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The password from the URL's user info, if any. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** Every value in the URL that must never be shown: user info, its password and password-like parameters. */
  public Set<String> secrets() {
    return secrets;
  }

  /** Engine, hosts, ports and database: safe for any message. */
  @Override
  public String toString() {
    return shown;
  }

  private static String shownHosts(String hosts) {
    if (hosts.isEmpty()) {
      return "localhost";
    }
    List<String> shown = new ArrayList<>();
    for (String host : hosts.split(",", -1)) {
      shown.add(shownHost(host.strip()));
    }
    return String.join(",", shown);
  }

  private static String shownHost(String hostPort) {
    String host = hostPort;
    String port = null;
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && hostPort.indexOf(']') < colon) {
      host = hostPort.substring(0, colon);
      port = hostPort.substring(colon + 1);
    }
    if (!HOST.matcher(host).matches() || (port != null && !PORT.matcher(port).matches())) {
      return "?";
    }
    return port == null ? host : host + ":" + port;
  }

  private static String shownDatabase(String database) {
    if (database.isEmpty()) {
      return "";
    }
    return DATABASE.matcher(database).matches() ? database : "?";
  }

  private static void rememberParameters(String text, Set<String> secrets) {
    int query = text.indexOf('?');
    if (query < 0) {
      return;
    }
    for (String pair : text.substring(query + 1).split("[&;]")) {
      int eq = pair.indexOf('=');
      if (eq >= 0 && eq + 1 < pair.length() && SECRET_PARAMETER.matcher(pair.substring(0, eq)).find()) {
        String value = pair.substring(eq + 1);
        secrets.add(value);
        secrets.add(decode(value));
      }
    }
  }

  /** Percent-decoding as user info is written ('+' stays a plus); malformed escapes stay as they are. */
  private static String decode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit((char) b, 16);
  }
}
