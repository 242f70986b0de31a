package dev.stagegate.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded PostgreSQL with the migration's three databases: "production" members ({@value #PRODUCTION}), a
 * "UAT" copy under the same keys full of test fixtures ({@value #UAT}: @example.com addresses), and the portal's
 * target ({@value #TARGET}), which already holds accounts of its own above every migrated key.
 */
public final class MembersDatabase implements AutoCloseable {
  public static final String PRODUCTION = "members_prod";
  public static final String UAT = "members_uat";
  public static final String TARGET = "portal";
  /** Scenario 6's own target (with the same accounts of its own): scenario 5 fills TARGET with every member. */
  public static final String LINKED_TARGET = "portal_linked";
  public static final String USER = "postgres";
  /** The target's own accounts start here, above every source key: no stage may touch them. */
  public static final long OWN_ACCOUNTS_FROM = 10_000_001L;

  private final EmbeddedPostgres postgres;
  private final long rows;

  private MembersDatabase(EmbeddedPostgres postgres, long rows) {
    this.postgres = postgres;
    this.rows = rows;
  }

  /** Starts PostgreSQL and fills the databases: {@code rows} members in production and in UAT. */
  public static MembersDatabase start(long rows, int ownAccounts) {
    EmbeddedPostgres postgres;
    try {
      postgres = EmbeddedPostgres.builder().start();
    } catch (IOException | RuntimeException e) {
      throw new SandboxException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
    MembersDatabase db = new MembersDatabase(postgres, rows);
    try {
      db.seed(ownAccounts);
    } catch (SQLException e) {
      db.close();
      throw new SandboxException("cannot fill the demo databases: " + e.getMessage(), e);
    }
    return db;
  }

  private void seed(int ownAccounts) throws SQLException {
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      for (String db : new String[] {PRODUCTION, UAT, TARGET, LINKED_TARGET}) {
        st.execute("CREATE DATABASE " + db);
      }
    }
    String table = "CREATE TABLE members (member_id bigint PRIMARY KEY, full_name text NOT NULL, email text NOT NULL,"
        + " plan_code text NOT NULL, enrolled_on date NOT NULL)";
    try (Connection c = connect(PRODUCTION); Statement st = c.createStatement()) {
      st.execute(table);
      st.execute("INSERT INTO members SELECT g, 'Member ' || g, 'member' || g || '@mail.members.org',"
          + " (ARRAY['BASIC','PLUS','PREMIUM','FAMILY'])[1 + g % 4], DATE '2015-01-01' + (g % 3650)::int"
          + " FROM generate_series(1, " + rows + ") g");
      st.execute("ANALYZE members");
    }
    try (Connection c = connect(UAT); Statement st = c.createStatement()) {
      st.execute(table);
      st.execute("INSERT INTO members SELECT g, 'Test User ' || g, 'test' || g || '@example.com', 'TEST',"
          + " DATE '2020-01-01' FROM generate_series(1, " + rows + ") g");
      st.execute("ANALYZE members");
    }
    for (String target : new String[] {TARGET, LINKED_TARGET}) {
      try (Connection c = connect(target); Statement st = c.createStatement()) {
        st.execute(table);
        st.execute("INSERT INTO members SELECT " + (OWN_ACCOUNTS_FROM - 1) + " + g, 'Portal User ' || g,"
            + " 'user' || g || '@portal.members.org', 'PLUS', DATE '2024-06-01' FROM generate_series(1, " + ownAccounts
            + ") g");
      }
    }
  }

  /** A URL without a password; the user is in it because the example's loader gets only the URL and a password. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database + "?user=" + USER;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database));
  }

  public long sourceRows() {
    return rows;
  }

  public int port() {
    return postgres.getPort();
  }

  /** Row count and an md5 over every row in key order: "the target is as before" means this is unchanged. */
  public String checksum(String database) throws SQLException {
    try (Connection c = connect(database); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) || ' rows, md5 ' || coalesce(substr(md5(string_agg(m::text,"
            + " '|' ORDER BY member_id)), 1, 12), '-') FROM members m")) {
      rs.next();
      return rs.getString(1);
    }
  }

  public long count(String database) throws SQLException {
    try (Connection c = connect(database); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM members")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      System.err.println("stopping PostgreSQL failed: " + e);
    }
  }
}
