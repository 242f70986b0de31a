package dev.stagegate.datacompare;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One embedded PostgreSQL per test JVM (starting one takes seconds); stopped when the JVM exits. */
final class SharedPostgres {

  private static EmbeddedPostgres postgres;

  private SharedPostgres() {}

  static synchronized JdbcTarget database() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
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
      }));
    }
    return new JdbcTarget("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "");
  }
}
