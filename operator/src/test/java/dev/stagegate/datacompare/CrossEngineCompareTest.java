package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.MariaDbServer;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("postgres")
@Tag("mariadb")
@DisplayName("Data comparison from a PostgreSQL source to a MariaDB target")
class CrossEngineCompareTest {

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

  private static ConnectionSource postgres() {
    return SharedPostgres.database();
  }

  private static ConnectionSource mariadb() {
    return new JdbcTarget(server.jdbcUrl(), server.user(), server.password());
  }

  private static final String PG_TYPES = "(id bigint PRIMARY KEY, name text, fee numeric(10,2), at timestamptz,"
      + " local_at timestamp(6), born date, active boolean, starts time(6), data bytea, ratio float8, code char(4))";
  private static final String MARIA_TYPES = "(id BIGINT PRIMARY KEY, name VARCHAR(100) CHARACTER SET latin1,"
      + " fee DECIMAL(10,3), at DATETIME(6), local_at TIMESTAMP(6) NULL, born DATE, active TINYINT(1),"
      + " starts TIME(6), data VARBINARY(20), ratio DOUBLE, code CHAR(4))";
  private static final List<String> TYPED_COLUMNS =
      List.of("id", "name", "fee", "at", "local_at", "born", "active", "starts", "data", "ratio", "code");

  @Test
  @DisplayName("the same values in each engine's own types compare equal: text encoding, scale, UTC, NULLs, booleans")
  void sameValuesAcrossEngines() {
    // given one row per interesting value, written natively in each engine
    TestDb.exec(postgres(), "CREATE TABLE typed_same " + PG_TYPES,
        "INSERT INTO typed_same VALUES"
            + " (1, 'Zoë Ångström', 1.50, '2024-03-01 13:00:00+01', '2024-03-01 12:00:00.25', '1980-02-29', true, '08:30:00', '\\x00ff10', 0.25, 'AB'),"
            + " (2, '', 0, '1999-12-31 23:59:59.999999+00', NULL, NULL, false, NULL, '\\x', 3.14159, NULL),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'ABCD'),"
            + " (4, 'a|b:c', -12.30, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00', '2024-01-01', true, '23:59:59.5', NULL, 100, 'x')");
    TestDb.exec(mariadb(), "CREATE TABLE typed_same " + MARIA_TYPES, "SET time_zone = '+00:00'",
        "INSERT INTO typed_same VALUES"
            + " (1, 'Zoë Ångström', 1.500, '2024-03-01 12:00:00', '2024-03-01 12:00:00.25', '1980-02-29', 1, '08:30:00', X'00FF10', 0.25, 'AB'),"
            + " (2, '', 0.000, '1999-12-31 23:59:59.999999', NULL, NULL, 0, NULL, X'', 3.14159, NULL),"
            + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'ABCD'),"
            + " (4, 'a|b:c', -12.3, '2024-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01', 1, '23:59:59.5', NULL, 100, 'x')");

    // when compared
    ComparisonResult result = new DataComparer().compare(
        TableSide.source(postgres(), "typed_same", "id", TYPED_COLUMNS),
        TableSide.target(mariadb(), "typed_same", "id", TYPED_COLUMNS), KeyRange.all());

    // then they are identical, with the portable hash
    assertThat(result.identical()).as(result.summary()).isTrue();
    assertThat(result.sourceRows()).isEqualTo(4);
    assertThat(result.mode()).isEqualTo(ChecksumMode.PORTABLE);
  }

  @Test
  @DisplayName("one changed value of each type is found across engines")
  void eachTypeChange() {
    // given rows 10..20, each differing in exactly one column (by position in the column list)
    StringBuilder pg = new StringBuilder("INSERT INTO typed_diff VALUES (0, 'same', 1.5, '2024-01-01 00:00:00+00', NULL, '2024-01-01', true, '01:00:00', '\\x01', 1.5, 'ab')");
    StringBuilder maria = new StringBuilder("INSERT INTO typed_diff VALUES (0, 'same', 1.5, '2024-01-01 00:00:00', NULL, '2024-01-01', 1, '01:00:00', X'01', 1.5, 'ab')");
    String[] pgBase = {"'n'", "1.5", "'2024-01-01 00:00:00+00'", "'2024-01-01 00:00:00'", "'2024-01-01'", "true", "'01:00:00'", "'\\x01'", "1.5", "'ab'"};
    String[] mariaBase = {"'n'", "1.5", "'2024-01-01 00:00:00'", "'2024-01-01 00:00:00'", "'2024-01-01'", "1", "'01:00:00'", "X'01'", "1.5", "'ab'"};
    String[] mariaChanged = {"'N'", "1.51", "'2024-01-01 00:00:01'", "'2024-01-01 00:00:00.000001'", "'2024-01-02'", "0", "'01:00:01'", "X'02'", "1.25", "'ab '"};
    for (int column = 0; column < pgBase.length; column++) {
      long id = 10 + column;
      pg.append(", (").append(id).append(", ").append(String.join(", ", pgBase)).append(')');
      String[] values = mariaBase.clone();
      values[column] = mariaChanged[column];
      maria.append(", (").append(id).append(", ").append(String.join(", ", values)).append(')');
    }
    TestDb.exec(postgres(), "CREATE TABLE typed_diff " + PG_TYPES, pg.toString());
    TestDb.exec(mariadb(), "CREATE TABLE typed_diff " + MARIA_TYPES, "SET time_zone = '+00:00'", maria.toString());

    // when compared
    ComparisonResult result = new DataComparer().compare(
        TableSide.source(postgres(), "typed_diff", "id", TYPED_COLUMNS),
        TableSide.target(mariadb(), "typed_diff", "id", TYPED_COLUMNS), KeyRange.all());

    // then every row but the CHAR(4) trailing-space one (both engines drop CHAR padding) changed
    assertThat(result.changedSamples()).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L);
    assertThat(result.missing() + result.extra()).isZero();
  }

  @Test
  @DisplayName("seeded random members: PostgreSQL source vs damaged MariaDB copy reports exactly the brute-force keys")
  void randomMembersAcrossEngines() {
    // given random members in PostgreSQL and a damaged copy in MariaDB
    List<List<Object>> rows = MemberData.random(7, 5_000, 50_000);
    TestDb.exec(postgres(), "CREATE TABLE x_members (member_id bigint PRIMARY KEY, full_name text, email varchar(200), plan_code varchar(16), enrolled_on date)");
    TestDb.exec(mariadb(), "CREATE TABLE x_members (member_id BIGINT PRIMARY KEY, full_name TEXT, email VARCHAR(200), plan_code VARCHAR(16), enrolled_on DATE)",
        "CREATE TABLE x_members_copy LIKE x_members");
    TestDb.insert(postgres(), "x_members", MemberData.COLUMNS, rows);
    TestDb.insert(mariadb(), "x_members_copy", MemberData.COLUMNS, rows);
    TestDb.insert(mariadb(), "x_members", MemberData.COLUMNS, MemberData.damaged(rows, 99, 25, 25, 50, 50_000));
    BruteForceDiff expected = BruteForceDiff.of(TestDb.read(postgres(), "x_members", "member_id"),
        TestDb.read(mariadb(), "x_members", "member_id"), KeyRange.all());
    DataComparer comparer = new DataComparer(CompareOptions.defaults().withSampleLimit(10_000).withBisectionFactor(8).withRowThreshold(64).withFirstLevelSegments(8), Clock.systemUTC());
    TableSide source = TableSide.source(postgres(), "x_members", "member_id", MemberData.COLUMNS);

    // when compared with the damaged copy, and with the faithful copy
    ComparisonResult damaged = comparer.compare(source, TableSide.target(mariadb(), "x_members", "member_id", MemberData.COLUMNS), KeyRange.all());
    TableSide faithful = TableSide.target(mariadb(), "x_members_copy", "member_id", MemberData.COLUMNS);
    ComparisonResult same = comparer.compare(source, faithful, KeyRange.all());

    // then the damage is reported key for key, and the faithful copy is identical with an equal full checksum
    assertThat(damaged.missingSamples()).containsExactlyElementsOf(expected.missing());
    assertThat(damaged.extraSamples()).containsExactlyElementsOf(expected.extra());
    assertThat(damaged.changedSamples()).containsExactlyElementsOf(expected.changed());
    assertThat(same.identical()).as(same.summary()).isTrue();
    TableChecksum pgSum = comparer.checksum(source, KeyRange.of(1000, 40_000));
    DataComparer portable = new DataComparer(CompareOptions.defaults().withPortableOnly(true), Clock.systemUTC());
    assertThat(portable.checksum(source, KeyRange.of(1000, 40_000))
        .sameDataAs(portable.checksum(faithful, KeyRange.of(1000, 40_000)))).isTrue();
    assertThat(pgSum.mode()).isEqualTo(ChecksumMode.POSTGRES_NATIVE);
  }
}
