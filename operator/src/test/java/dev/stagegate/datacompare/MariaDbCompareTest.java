package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.MariaDbServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("mariadb")
@DisplayName("Data comparison between two MariaDB tables")
class MariaDbCompareTest extends CompareScenarios {

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
  ConnectionSource db() {
    return new JdbcTarget(server.jdbcUrl(), server.user(), server.password());
  }

  @Override
  String membersDdl(String table) {
    return "CREATE TABLE " + table + " (member_id BIGINT PRIMARY KEY, full_name TEXT, email VARCHAR(200),"
        + " plan_code VARCHAR(16), enrolled_on DATE)";
  }

  @Override
  ChecksumMode expectedMode() {
    return ChecksumMode.PORTABLE;
  }

  @Test
  @DisplayName("DECIMAL(10,2) 1.50 equals DECIMAL(10,3) 1.500; 1.50 and 1.51 differ; 100 is not 1")
  void decimalScale() {
    TestDb.exec(db(),
        "CREATE TABLE fees_a (id BIGINT PRIMARY KEY, amount DECIMAL(10,2), rate DECIMAL(12,0))",
        "CREATE TABLE fees_b (id BIGINT PRIMARY KEY, amount DECIMAL(10,3), rate DECIMAL(12,0))",
        "INSERT INTO fees_a VALUES (1, 1.50, 100), (2, 1.50, 10), (3, -2.00, 7)",
        "INSERT INTO fees_b VALUES (1, 1.500, 100), (2, 1.510, 10), (3, -2, 1)");

    ComparisonResult result = comparer().compare(
        TableSide.source(db(), "fees_a", "id", List.of("amount", "rate")),
        TableSide.target(db(), "fees_b", "id", List.of("amount", "rate")), KeyRange.all());

    assertThat(result.changedSamples()).containsExactly(2L, 3L);
  }

  @Test
  @DisplayName("DATETIME(6) and TIMESTAMP(6) hold the same UTC moments equal; one microsecond is a change")
  void timestamps() {
    TestDb.exec(db(),
        "CREATE TABLE ev_a (id BIGINT PRIMARY KEY, at DATETIME(6))",
        "CREATE TABLE ev_b (id BIGINT PRIMARY KEY, at TIMESTAMP(6) NULL)",
        "SET time_zone = '+00:00'",
        "INSERT INTO ev_a VALUES (1, '2024-03-01 12:00:00'), (2, '2024-03-01 12:00:00.5'), (3, NULL)",
        "INSERT INTO ev_b VALUES (1, '2024-03-01 12:00:00.000000'), (2, '2024-03-01 12:00:00.500001'), (3, NULL)");

    ComparisonResult result = comparer().compare(
        TableSide.source(db(), "ev_a", "id", List.of("at")),
        TableSide.target(db(), "ev_b", "id", List.of("at")), KeyRange.all());

    assertThat(result.changedSamples()).containsExactly(2L);
  }

  @Test
  @DisplayName("text in a latin1 column equals the same text in a utf8mb4 column")
  void textEncodings() {
    TestDb.exec(db(),
        "CREATE TABLE names_a (id BIGINT PRIMARY KEY, name VARCHAR(50) CHARACTER SET latin1)",
        "CREATE TABLE names_b (id BIGINT PRIMARY KEY, name VARCHAR(50) CHARACTER SET utf8mb4)",
        "INSERT INTO names_a VALUES (1, 'Zoë Ångström'), (2, 'plain'), (3, 'Renée')",
        "INSERT INTO names_b VALUES (1, 'Zoë Ångström'), (2, 'plain'), (3, 'Renee')");

    ComparisonResult result = comparer().compare(
        TableSide.source(db(), "names_a", "id", List.of("name")),
        TableSide.target(db(), "names_b", "id", List.of("name")), KeyRange.all());

    assertThat(result.changedSamples()).containsExactly(3L);
  }
}
