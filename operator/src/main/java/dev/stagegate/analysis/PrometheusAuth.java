package dev.stagegate.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Credentials for Prometheus from a Secret: a bearer `token`, or `username` and `password`. Never printed. */
public final class PrometheusAuth {
  private final String header;

  private PrometheusAuth(String header) {
    this.header = header;
  }

  public static PrometheusAuth none() {
    return new PrometheusAuth(null);
  }

  public static PrometheusAuth bearer(String token) {
    return new PrometheusAuth("Bearer " + token.trim());
  }

  public static PrometheusAuth basic(String username, String password) {
    String pair = username + ":" + password;
    return new PrometheusAuth("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  Optional<String> authorizationHeader() {
    return Optional.ofNullable(header);
  }

  @Override
  public String toString() {
    return header == null ? "PrometheusAuth[none]" : "PrometheusAuth[****]";
  }
}
