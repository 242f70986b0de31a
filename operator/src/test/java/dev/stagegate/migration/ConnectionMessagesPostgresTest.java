package dev.stagegate.migration;

import dev.stagegate.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * On the embedded PostgreSQL, which trusts local connections: one role is made to need its password
 * (scram-sha-256 for that role only, ahead of the trust lines), so a wrong one really fails.
 */
@Tag("postgres")
class ConnectionMessagesPostgresTest extends ConnectionMessageScenarios {
  private static final String ROLE = "stagegate_pw";
  private static final String PASSWORD = "R1ght-pw-4-test";

  @BeforeAll
  static void roleWithPassword() throws Exception {
    try (Connection c = PostgresServer.connect("postgres"); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'")) {
        if (!rs.next()) {
          st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
      }
      Path hba;
      try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = Path.of(rs.getString(1));
      }
      String lines = "host all " + ROLE + " 127.0.0.1/32 scram-sha-256\nhost all " + ROLE + " ::1/128 scram-sha-256\n";
      String current = Files.readString(hba);
      if (!current.startsWith(lines)) {
        Files.writeString(hba, lines + current);
        st.execute("SELECT pg_reload_conf()");
      }
    }
  }

  @Override
  protected String scheme() {
    return "postgresql";
  }

  @Override
  protected String hostPortDatabase() {
    return "127.0.0.1:" + PostgresServer.shared().getPort() + "/postgres";
  }

  @Override
  protected String user() {
    return ROLE;
  }

  @Override
  protected String password() {
    return PASSWORD;
  }

}
