package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Identifiers and credentials are handled safely")
class ConnectionSafetyTest {

  private static final ConnectionSource NOWHERE = new JdbcTarget("jdbc:postgresql://127.0.0.1:1/db", "u", "pw");

  @ParameterizedTest
  @ValueSource(strings = {"members; DROP TABLE members", "members--", "m\"embers", "`members`", "members)",
      "1members", "members where 1=1", "a.b.c", "", " members", "members\u0000"})
  @DisplayName("table names that try SQL injection are rejected before any connection")
  void injectionInTableNames(String table) {
    assertThatThrownBy(() -> TableSide.source(NOWHERE, table, "id", List.of("id")))
        .isInstanceOf(DataCompareException.class)
        .hasMessageContaining("source: table")
        .hasMessageContaining("not a plain SQL identifier");
  }

  @ParameterizedTest
  @ValueSource(strings = {"id) OR (1=1", "email || password", "x'; --", "name\"", "count(*)"})
  @DisplayName("key and column names that try SQL injection are rejected, naming the side")
  void injectionInColumns(String name) {
    assertThatThrownBy(() -> TableSide.target(NOWHERE, "members", name, List.of("id")))
        .isInstanceOf(DataCompareException.class).hasMessageContaining("target: key column");
    assertThatThrownBy(() -> TableSide.target(NOWHERE, "members", "id", List.of("id", name)))
        .isInstanceOf(DataCompareException.class).hasMessageContaining("target: column");
  }

  @Test
  @DisplayName("plain and schema-qualified names are accepted")
  void plainNames() {
    TableSide side = TableSide.source(NOWHERE, "app.members_2024", "member_id", List.of("member_id", "Full_Name"));
    assertThat(side.table()).isEqualTo("app.members_2024");
  }

  @Test
  @DisplayName("passwords in JDBC URLs are masked in descriptions and toString")
  void maskedUrls() {
    assertThat(JdbcTarget.maskUrl("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
    assertThat(JdbcTarget.maskUrl("jdbc:mariadb://app:s3cret@db:3306/app")).isEqualTo("jdbc:mariadb://app:***@db:3306/app");
    assertThat(JdbcTarget.maskUrl("jdbc:mysql://db/app?PASSWORD=s3cret")).isEqualTo("jdbc:mysql://db/app?PASSWORD=***");
    JdbcTarget target = new JdbcTarget("jdbc:postgresql://db/app?password=s3cret", "app", "other-secret");
    assertThat(target.toString()).doesNotContain("s3cret").doesNotContain("other-secret").contains("app");
    assertThat(target.description()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("a failed connection's error never contains the password")
  void failedConnectionHidesPassword() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JdbcTarget target = new JdbcTarget("jdbc:postgresql://127.0.0.1:" + closedPort + "/app?password=url-secret",
        "app", "prop-secret");

    Throwable thrown = catchThrowable(target::open);
    assertThat(thrown).isInstanceOf(SQLException.class).hasNoCause();
    assertThat(thrown.getMessage()).doesNotContain("url-secret").doesNotContain("prop-secret").contains("cannot connect");

    Throwable viaCompare = catchThrowable(() -> new DataComparer().checksum(
        TableSide.source(target, "members", "id", List.of("id")), KeyRange.all()));
    assertThat(viaCompare).isInstanceOf(DataCompareException.class).hasMessageStartingWith("source (");
    assertThat(viaCompare.getMessage()).doesNotContain("url-secret").doesNotContain("prop-secret");
  }

  @Test
  @DisplayName("a key range must not be empty or reversed")
  void keyRanges() {
    assertThatThrownBy(() -> KeyRange.of(5, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(KeyRange.of(1, 10).toString()).isEqualTo("[1, 10)");
    assertThat(KeyRange.all().toString()).isEqualTo("[-inf, +inf)");
  }
}
