package dev.stagegate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcAddressTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("given a JDBC URL, then only engine, hosts, ports and database are shown")
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://db.internal:5432/members_prod?user=migrator&password=S3cret | postgresql://db.internal:5432/members_prod",
      "jdbc:mysql://app:S3cret@db:3306/members | mysql://db:3306/members",
      "jdbc:mariadb://app:S3%2Fcr%40et@db/members?sslMode=verify-full | mariadb://db/members",
      "jdbc:mariadb:replication://app:S3cret@primary:3306,replica:3307/members | mariadb://primary:3306,replica:3307/members",
      "jdbc:postgresql://[::1]:5432/members | postgresql://[::1]:5432/members",
      "jdbc:postgresql:members | postgresql://localhost/members",
      "jdbc:postgresql://app:S3cret@db/members?password=S3cret | postgresql://db/members",
      // an unencoded "?" in the password mis-splits the URL: what cannot be a host or port is not shown; a "/" does not
      "jdbc:mysql://app:S3?cret@db/members | mysql://?/",
      "jdbc:mysql://app:S3/cret@db/members | mysql://db/members",
      "jdbc:mariadb://address=(host=db)(port=3306)/members | mariadb://?/members",
      "not-a-url:S3cret | a database (the JDBC URL is not shown)",
  })
  void shownParts(String url, String shown) {
    JdbcAddress address = JdbcAddress.parse(url);
    assertThat(address.toString()).isEqualTo(shown).doesNotContain("S3").doesNotContain("app");
  }

  @Test
  @DisplayName("given credentials in the user info, then the driver URL has none and they become the user and password, decoded")
  void userInfoBecomesProperties() {
    JdbcAddress address = JdbcAddress.parse("jdbc:mysql://app:S3%2Fcr%40et@db:3306/members?sslMode=trust");
    assertThat(address.driverUrl()).isEqualTo("jdbc:mysql://db:3306/members?sslMode=trust");
    assertThat(address.user()).hasValue("app");
    assertThat(address.password()).hasValue("S3/cr@et");
    assertThat(address.secrets()).contains("S3/cr@et", "S3%2Fcr%40et", "app:S3%2Fcr%40et").doesNotContain("trust");
  }

  @Test
  @DisplayName("given password-like parameters, then they stay in the driver URL (the driver decodes them) and are known as secrets")
  void passwordParametersStayForTheDriver() {
    JdbcAddress address = JdbcAddress.parse("jdbc:postgresql://db/members?user=app&password=p%40ss&sslpassword=k3y&ssl=true");
    assertThat(address.driverUrl()).isEqualTo("jdbc:postgresql://db/members?user=app&password=p%40ss&sslpassword=k3y&ssl=true");
    assertThat(address.user()).isEmpty();
    assertThat(address.secrets()).contains("p%40ss", "p@ss", "k3y").doesNotContain("true", "app");
  }
}
