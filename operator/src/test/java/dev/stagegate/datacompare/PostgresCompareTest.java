package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("postgres")
@DisplayName("Data comparison between two PostgreSQL tables (native hash)")
class PostgresCompareTest extends CompareScenarios {

  /** Both PostgreSQL test classes share one server: table names get a per-test suffix. */
  private final String n = "_" + SUFFIX.incrementAndGet();
  private static final java.util.concurrent.atomic.AtomicInteger SUFFIX = new java.util.concurrent.atomic.AtomicInteger();

  @Override
  ConnectionSource db() {
    return SharedPostgres.database();
  }

  @Override
  String membersDdl(String table) {
    return "CREATE TABLE " + table + " (member_id bigint PRIMARY KEY, full_name text, email varchar(200),"
        + " plan_code varchar(16), enrolled_on date)";
  }

  @Override
  ChecksumMode expectedMode() {
    return ChecksumMode.POSTGRES_NATIVE;
  }

  @Test
  @DisplayName("numeric(10,2) 1.50 equals numeric(10,3) 1.500; 1.50 and 1.51 differ")
  void numericScale() {
    // given the same amounts at different scales, and one real change
    TestDb.exec(db(),
        "CREATE TABLE fees_a" + n + " (id bigint PRIMARY KEY, amount numeric(10,2), rate numeric)",
        "CREATE TABLE fees_b" + n + " (id bigint PRIMARY KEY, amount numeric(10,3), rate numeric)",
        "INSERT INTO fees_a" + n + " VALUES (1, 1.50, 100), (2, 1.50, 0.10), (3, -2.00, 7)",
        "INSERT INTO fees_b" + n + " VALUES (1, 1.500, 100.000), (2, 1.510, 0.1), (3, -2, 7.0)");

    // when compared on the amount and rate
    ComparisonResult result = comparer().compare(
        TableSide.source(db(), "fees_a" + n, "id", List.of("amount", "rate")),
        TableSide.target(db(), "fees_b" + n, "id", List.of("amount", "rate")), KeyRange.all());

    // then only row 2 (1.50 vs 1.51) changed
    assertThat(result.changedSamples()).containsExactly(2L);
  }

  @Test
  @DisplayName("timestamps compare by instant: the same moment written in two zones is equal, 1 microsecond is a change")
  void timestamps() {
    TestDb.exec(db(),
        "CREATE TABLE ev_a" + n + " (id bigint PRIMARY KEY, at timestamptz, local_at timestamp(6))",
        "CREATE TABLE ev_b" + n + " (id bigint PRIMARY KEY, at timestamptz, local_at timestamp(6))",
        "INSERT INTO ev_a" + n + " VALUES (1, '2024-03-01 12:00:00+00', '2024-03-01 12:00:00'),"
            + " (2, '2024-03-01 12:00:00.5+00', '2024-03-01 12:00:00.123456'), (3, NULL, NULL)",
        "INSERT INTO ev_b" + n + " VALUES (1, '2024-03-01 13:00:00+01', '2024-03-01 12:00:00.000'),"
            + " (2, '2024-03-01 12:00:00.500001+00', '2024-03-01 12:00:00.123456'), (3, NULL, NULL)");

    ComparisonResult result = comparer().compare(
        TableSide.source(db(), "ev_a" + n, "id", List.of("at", "local_at")),
        TableSide.target(db(), "ev_b" + n, "id", List.of("at", "local_at")), KeyRange.all());

    assertThat(result.changedSamples()).containsExactly(2L);
  }

  @Test
  @DisplayName("keys at the ends of the bigint range are compared without overflow")
  void extremeKeys() {
    TestDb.exec(db(),
        "CREATE TABLE ext_a" + n + " (id bigint PRIMARY KEY, v text)",
        "CREATE TABLE ext_b" + n + " (id bigint PRIMARY KEY, v text)",
        "INSERT INTO ext_a" + n + " VALUES (-9223372036854775808, 'min'), (0, 'zero'), (9223372036854775807, 'max'), (5, 'five')",
        "INSERT INTO ext_b" + n + " VALUES (-9223372036854775808, 'min'), (0, 'zero'), (9223372036854775807, 'MAX'), (6, 'six')");

    ComparisonResult result = new DataComparer(options().withBisectionFactor(4).withRowThreshold(1).withFirstLevelSegments(2), java.time.Clock.systemUTC())
        .compare(TableSide.source(db(), "ext_a" + n, "id", List.of("v")), TableSide.target(db(), "ext_b" + n, "id", List.of("v")), KeyRange.all());

    assertThat(result.changedSamples()).containsExactly(Long.MAX_VALUE);
    assertThat(result.missingSamples()).containsExactly(5L);
    assertThat(result.extraSamples()).containsExactly(6L);
  }

  @Test
  @DisplayName("an integer (int4) key and a schema-qualified, mixed-case table name resolve against the metadata")
  void intKeyAndSchema() {
    TestDb.exec(db(),
        "CREATE SCHEMA IF NOT EXISTS app",
        "CREATE TABLE app.plans" + n + " (code_id integer PRIMARY KEY, label text, active boolean)",
        "CREATE TABLE app.plans_copy" + n + " (code_id integer PRIMARY KEY, label text, active boolean)",
        "INSERT INTO app.plans" + n + " VALUES (1, 'Basic', true), (2, 'Plus', false), (2147483647, 'Top', NULL)",
        "INSERT INTO app.plans_copy" + n + " VALUES (1, 'Basic', true), (2, 'Plus', true), (2147483647, 'Top', NULL)");

    ComparisonResult result = comparer().compare(
        TableSide.source(db(), "app.Plans" + n, "code_id", List.of("label", "active")),
        TableSide.target(db(), "app.plans_copy" + n, "CODE_ID", List.of("label", "ACTIVE")), KeyRange.all());

    assertThat(result.changedSamples()).containsExactly(2L);
    assertThat(result.sourceRows()).isEqualTo(3);
  }
}
