package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A failed connection to a real database server says why in the operator's words and names the database
 * by engine, host, port and database only: with the password in the URL's user info, in a URL parameter or
 * in the Secret's password key, the message never contains it. Each engine's subclass gives the server.
 */
abstract class ConnectionMessageScenarios {
  /** Would be a real password: it must never appear in a message. */
  protected static final String WRONG = "Wr0ng-pw-never-shown";

  /** "mysql" or "postgresql", as the Secret's URL scheme. */
  protected abstract String scheme();

  protected abstract String hostPortDatabase();

  protected abstract String user();

  protected abstract String password();

  private SecretDatabase secret(String url, String user, String password) {
    return new SecretDatabase("source", "members-db", url, user, password);
  }

  private static String failure(SecretDatabase database) {
    Throwable thrown = catchThrowable(() -> database.open().close());
    assertThat(thrown).isInstanceOf(SQLException.class).hasNoCause();
    return thrown.getMessage();
  }

  @Test
  @DisplayName("given the right password only in the URL's user info, then it connects (the form the docs allow)")
  void userInfoConnects() throws SQLException {
    SecretDatabase database = secret("jdbc:" + scheme() + "://" + user() + ":" + password() + "@" + hostPortDatabase(),
        null, null);
    try (Connection c = database.open()) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  @DisplayName("given a wrong password in the URL's user info, then authentication failed is said and the password never shown")
  void wrongPasswordInUserInfo() {
    String message = failure(secret("jdbc:" + scheme() + "://" + user() + ":" + WRONG + "@" + hostPortDatabase(), null, null));
    assertThat(message).isEqualTo("cannot connect to the source database (Secret members-db) at " + scheme() + "://"
        + hostPortDatabase() + ": " + message.substring(message.indexOf("authentication failed")));
    assertThat(message).doesNotContain(WRONG);
  }

  @Test
  @DisplayName("given a wrong password as a URL parameter, then authentication failed is said and the password never shown")
  void wrongPasswordAsParameter() {
    String message = failure(secret("jdbc:" + scheme() + "://" + hostPortDatabase() + "?user=" + user() + "&password=" + WRONG,
        null, null));
    assertThat(message).contains("authentication failed", hostPortDatabase()).doesNotContain(WRONG).doesNotContain("password=");
  }

  @Test
  @DisplayName("given a wrong password in the Secret's password key, then authentication failed is said and the password never shown")
  void wrongPasswordInSecretKey() {
    String message = failure(secret("jdbc:" + scheme() + "://" + hostPortDatabase(), user(), WRONG));
    assertThat(message).contains("authentication failed").doesNotContain(WRONG);
  }

  @Test
  @DisplayName("given an unreachable port and a password in the user info, then connection refused is said and the password never shown")
  void unreachable() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String message = failure(secret("jdbc:" + scheme() + "://" + user() + ":" + WRONG + "@127.0.0.1:" + closed + "/members",
        null, null));
    assertThat(message).isEqualTo("cannot connect to the source database (Secret members-db) at " + scheme()
        + "://127.0.0.1:" + closed + "/members: " + message.substring(message.indexOf("connection refused")));
    assertThat(message).doesNotContain(WRONG);
  }
}
