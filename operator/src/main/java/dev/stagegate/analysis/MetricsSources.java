package dev.stagegate.analysis;

import java.util.Map;
import java.util.Optional;

/** Picks where a resource's checks query: its own Prometheus URL and credentials, or the operator's default. */
@FunctionalInterface
public interface MetricsSources {
  /**
   * @param url the resource's Prometheus URL, or null for the operator's default
   * @param secret the values of the resource's auth Secret, when it names one
   */
  MetricsSource forTarget(String url, Optional<Map<String, String>> secret);

  /** The same, for checks of resources in {@code namespace} (which then share that namespace's query slots). */
  default MetricsSource forTarget(String url, Optional<Map<String, String>> secret, String namespace) {
    return forTarget(url, secret);
  }

  static MetricsSources prometheus(String defaultUrl, PrometheusAuth defaultAuth) {
    return prometheus(defaultUrl, defaultAuth, null, PrometheusLimits.defaults());
  }

  /** Clients that share answers to identical questions ({@code shared} may be null) and one set of limits. */
  static MetricsSources prometheus(String defaultUrl, PrometheusAuth defaultAuth, SharedQueries shared,
      PrometheusLimits limits) {
    return new MetricsSources() {
      @Override
      public MetricsSource forTarget(String url, Optional<Map<String, String>> secret) {
        return forTarget(url, secret, null);
      }

      @Override
      public MetricsSource forTarget(String url, Optional<Map<String, String>> secret, String namespace) {
        PrometheusAuth auth = secret.map(PrometheusAuthFromSecret::of).orElse(url == null ? defaultAuth : PrometheusAuth.none());
        return new PrometheusClient(url == null ? defaultUrl : url, auth, shared, limits, namespace);
      }
    };
  }
}
