package dev.stagegate.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Base64;
import java.util.Optional;

/** Credentials for Prometheus from a Secret: a bearer `token`, or `username` and `password`. Never printed. */
public final class PrometheusAuth {
  private final String header;
  private volatile String identity;

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

  /**
   * Who is asking, for sharing answers only between askers with the same credentials: a SHA-256 digest of the
   * header, so the credential itself is not copied into cache keys.
   */
  String identity() {
    if (header == null) {
      return "none";
    }
    String digest = identity;
    if (digest == null) {
      try {
        digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(header.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
      identity = digest;
    }
    return digest;
  }

  Optional<String> authorizationHeader() {
    return Optional.ofNullable(header);
  }

  @Override
  public String toString() {
    return header == null ? "PrometheusAuth[none]" : "PrometheusAuth[****]";
  }
}
