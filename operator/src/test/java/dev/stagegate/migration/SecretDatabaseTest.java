package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecretDatabaseTest {
  private static final String URL = "jdbc:postgresql://db.internal:5432/members_prod?user=migrator&password=s3cr3t-Pw";
  private final SecretDatabase source = new SecretDatabase("source", "legacy-members-db", URL, "migrator", "s3cr3t-Pw");

  @Test
  @DisplayName("given a driver message quoting the URL, the password or a password parameter, then none of them survive but the reason does")
  void redactsUrlAndPasswordButKeepsTheReason() {
    String driver = "Connection to db.internal:5432 refused (" + URL + "); FATAL: password authentication failed,"
        + " password=s3cr3t-Pw tried; see jdbc:mariadb://other:3306/x?pwd=abc for details";
    String shown = source.redact(driver);
    assertThat(shown).doesNotContain("s3cr3t-Pw").doesNotContain("jdbc:").doesNotContain("abc")
        .contains("Connection to db.internal:5432 refused", "password authentication failed", "<jdbc url>");
  }

  @Test
  @DisplayName("given an unreachable database, then the error names the role, the Secret, host, port and database, not the URL")
  void unreachableNamesTheSecret() {
    SecretDatabase nowhere = new SecretDatabase("target", "portal-db",
        "jdbc:postgresql://127.0.0.1:1/portal?password=s3cr3t-Pw", "postgres", "s3cr3t-Pw");
    assertThatThrownBy(nowhere::open).isInstanceOfSatisfying(SQLException.class, e -> {
      assertThat(e.getMessage()).startsWith("cannot connect to the target database (Secret portal-db) at"
          + " postgresql://127.0.0.1:1/portal: connection refused").doesNotContain("s3cr3t-Pw").doesNotContain("jdbc:");
      assertThat(e.getCause()).isNull();
    });
  }
}
