package dev.stagegate.migration;

import dev.stagegate.testing.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** On MariaDB through a jdbc:mysql: URL, the review's case: Connector/J read "app:S3cret@db" as a port. */
@Tag("mariadb")
class ConnectionMessagesMariaDbTest extends ConnectionMessageScenarios {
  private static MariaDbServer server;

  @BeforeAll
  static void startMariaDb() {
    server = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected String scheme() {
    return "mysql";
  }

  @Override
  protected String hostPortDatabase() {
    return "127.0.0.1:" + server.port() + "/" + server.database();
  }

  @Override
  protected String user() {
    return server.user();
  }

  @Override
  protected String password() {
    return server.password();
  }
}
