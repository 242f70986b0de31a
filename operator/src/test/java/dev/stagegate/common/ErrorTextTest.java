package dev.stagegate.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrorTextTest {

  @Test
  @DisplayName("given a message with a URL carrying user:password, then the Event text keeps the host and drops the credentials")
  void urlCredentials() {
    String text = ErrorText.of(new IOException("cannot reach https://admin:Xq7-secret@prometheus.monitoring:9090/api"));

    assertThat(text).isEqualTo("IOException: cannot reach https://***@prometheus.monitoring:9090/api")
        .doesNotContain("Xq7-secret").doesNotContain("admin");
  }

  @Test
  @DisplayName("given password or token parameters, then their values are dropped")
  void secretParameters() {
    String text = ErrorText.of(new IllegalStateException(
        "jdbc:postgresql://db/portal?user=app&password=Xq7-secret;token=abc123 refused"));

    assertThat(text).doesNotContain("Xq7-secret").doesNotContain("abc123").contains("password=***", "token=***");
  }

  @Test
  @DisplayName("given a long multi-line message or none, then the text is one line of at most 500 characters after the type")
  void shapes() {
    assertThat(ErrorText.of(new RuntimeException("a\n  b\tc" + "x".repeat(2000)))).startsWith("RuntimeException: a b c")
        .hasSize("RuntimeException: ".length() + 500).endsWith("...");
    assertThat(ErrorText.of(new NullPointerException())).isEqualTo("NullPointerException");
  }
}
