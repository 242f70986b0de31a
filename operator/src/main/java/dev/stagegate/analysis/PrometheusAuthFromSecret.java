package dev.stagegate.analysis;

import java.util.Map;

/** A Secret with `token`, or `username` and `password`, becomes Prometheus credentials. */
public final class PrometheusAuthFromSecret {
  private PrometheusAuthFromSecret() {}

  public static PrometheusAuth of(Map<String, String> values) {
    if (values.get("token") != null && !values.get("token").isBlank()) {
      return PrometheusAuth.bearer(values.get("token"));
    }
    if (values.get("username") != null && values.get("password") != null) {
      return PrometheusAuth.basic(values.get("username"), values.get("password"));
    }
    return PrometheusAuth.none();
  }
}
