package dev.stagegate.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The seed disaster's data, made by the database itself with generate_series (250,000 rows take about a
 * second): a "production" members table, a "UAT" table of the same keys filled with test fixtures
 * (@example.com emails), and a target that already holds accounts of its own outside the migrated keys.
 *
 * <p>Keys have gaps: the first 40% are dense (1, 2, 3, ...), the rest step by 7. So 1% of the rows is
 * keys [1, 2501) while 1% of the key space would be about 0.2% of the rows: stages follow rows.
 */
public final class MemberTables {
  public static final String TABLE = "members";
  /** Keys of the target's own accounts, above every source key. */
  public static final long EXISTING_FROM = 50_000_001L;

  private MemberTables() {}

  /** A database of the shared PostgreSQL holding production members or UAT fixtures, seeded once per JVM. */
  public static synchronized void seedOnce(String database, long rows, boolean fixtures) throws SQLException {
    if (PostgresServer.createDatabase(database)) {
      try (Connection c = PostgresServer.connect(database)) {
        if (fixtures) {
          seedFixtures(c, rows);
        } else {
          seedProduction(c, rows);
        }
      }
    }
  }

  public static void create(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS members (member_id bigint PRIMARY KEY, full_name text NOT NULL,"
          + " email text NOT NULL, plan_code text NOT NULL, enrolled_on date NOT NULL)");
    }
  }

  /** The largest key {@link #seedProduction} or {@link #seedFixtures} makes for {@code rows} rows. */
  public static long maxKey(long rows) {
    long dense = rows * 2 / 5;
    return dense + (rows - dense) * 7;
  }

  private static String keys(long rows) {
    long dense = rows * 2 / 5;
    return "(SELECT g, CASE WHEN g <= " + dense + " THEN g ELSE " + dense + " + (g - " + dense + ") * 7 END AS id"
        + " FROM generate_series(1, " + rows + ") g) k";
  }

  /** Real-looking members: no @example.com address among them. */
  public static void seedProduction(Connection c, long rows) throws SQLException {
    create(c);
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO members SELECT id, 'Member ' || g, 'member' || g || '@mail.members.org',"
          + " (ARRAY['BASIC','PLUS','PREMIUM','FAMILY'])[1 + g % 4], DATE '2015-01-01' + (g % 3650)::int FROM " + keys(rows));
      st.execute("ANALYZE members");
    }
  }

  /** UAT fixtures under the same keys: test names, @example.com emails, one plan, one date. */
  public static void seedFixtures(Connection c, long rows) throws SQLException {
    create(c);
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO members SELECT id, 'Test User ' || g, 'test' || g || '@example.com', 'TEST',"
          + " DATE '2020-01-01' FROM " + keys(rows));
      st.execute("ANALYZE members");
    }
  }

  /** The target's own accounts, which no stage may touch. */
  public static void seedExistingAccounts(Connection c, int rows) throws SQLException {
    create(c);
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO members SELECT " + (EXISTING_FROM - 1) + " + g, 'Portal User ' || g,"
          + " 'user' || g || '@portal.members.org', 'PLUS', DATE '2024-06-01' FROM generate_series(1, " + rows + ") g");
    }
  }

  public static long count(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM members")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static long count(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM members WHERE member_id >= ? AND member_id < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Every byte of the table, as the test's own oracle (independent of the operator's comparison): the md5
   * of all rows' text, in key order, with the row count.
   */
  public static String checksum(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(m::text, '|' ORDER BY member_id)), '-')"
            + " FROM members m")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
