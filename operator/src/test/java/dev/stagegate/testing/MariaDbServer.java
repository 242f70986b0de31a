package dev.stagegate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, throw-away MariaDB server for tests: a fresh data directory in a temp folder, {@code mariadbd} on
 * a free loopback port, one database and one user with a random password. {@link #close()} stops it and
 * deletes everything. A missing {@code mariadbd} fails under CI and skips elsewhere ({@link RealComponent}).
 */
public final class MariaDbServer implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Path dir;
  private final Process process;
  private final int port;
  private final String database;
  private final String user;
  private final String password;

  private MariaDbServer(Path dir, Process process, int port, String database, String user, String password) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /** Starts a server with database {@code stagegate} and user {@code stagegate}. */
  public static MariaDbServer start() {
    Path mariadbd = RealComponent.mariadbd();
    Path installDb = RealComponent.mariadbInstallDb();
    Path dir = null;
    Process process = null;
    try {
      dir = Files.createTempDirectory("stagegate-mariadb-");
      Path data = dir.resolve("data");
      run(dir.resolve("install.log"), installDb.toString(), "--no-defaults", "--datadir=" + data,
          "--auth-root-authentication-method=normal", "--user=root", "--skip-test-db");
      int port = freePort();
      List<String> command = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults",
          "--datadir=" + data, "--socket=" + dir.resolve("mariadbd.sock"), "--port=" + port,
          "--bind-address=127.0.0.1", "--user=root", "--pid-file=" + dir.resolve("mariadbd.pid"),
          "--log-error=" + dir.resolve("error.log"), "--character-set-server=utf8mb4",
          "--collation-server=utf8mb4_unicode_ci", "--innodb-buffer-pool-size=128M",
          "--skip-log-bin", "--max-connections=50"));
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
      waitAndCreateUser(process, dir, port, "stagegate", "stagegate", password);
      return new MariaDbServer(dir, process, port, "stagegate", "stagegate", password);
    } catch (IOException | RuntimeException e) {
      String log = dir == null ? "" : tail(dir.resolve("error.log")) + tail(dir.resolve("install.log"));
      stop(process);
      deleteQuietly(dir);
      throw new IllegalStateException("cannot start MariaDB: " + e.getMessage() + "\n" + log, e);
    }
  }

  private static void waitAndCreateUser(Process process, Path dir, int port, String database, String user, String password) {
    Instant deadline = Instant.now().plus(STARTUP);
    SQLException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mariadbd exited with " + process.exitValue());
      }
      try (Connection root = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
          Statement st = root.createStatement()) {
        st.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        for (String host : List.of("'%'", "'localhost'")) {
          st.execute("CREATE USER '" + user + "'@" + host + " IDENTIFIED BY '" + password + "'");
          st.execute("GRANT ALL ON " + database + ".* TO '" + user + "'@" + host);
        }
        return;
      } catch (SQLException e) {
        last = e;
        sleep(200);
      }
    }
    throw new IllegalStateException("mariadbd did not accept connections within " + STARTUP
        + (last == null ? "" : ": " + last.getMessage()));
  }

  public String jdbcUrl() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A connection as the test user, auto-commit on, for setting up data. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, password);
  }

  @Override
  public void close() {
    stop(process);
    deleteQuietly(dir);
  }

  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.destroy(); // SIGTERM: mariadbd shuts down cleanly
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void run(Path log, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command[0] + " did not finish within 120 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(command[0] + " exited with " + p.exitValue());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return file.getFileName() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp folder; nothing else to do
    }
  }
}
