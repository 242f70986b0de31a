package dev.stagegate.kube;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.api.common.PrometheusSource;
import java.util.Map;
import java.util.Optional;

/** The Prometheus a resource names, with its credentials read from the Secret it references. */
public final class ResourcePrometheus {
  private final MetricsSources sources;
  private final SecretValues secrets;

  public ResourcePrometheus(MetricsSources sources, SecretValues secrets) {
    this.sources = sources;
    this.secrets = secrets;
  }

  public Optional<MetricsSource> of(PrometheusSource prometheus, String namespace) {
    String url = prometheus == null ? null : prometheus.getUrl();
    Optional<Map<String, String>> secret = Optional.empty();
    if (prometheus != null && prometheus.getSecretRef() != null) {
      secret = this.secrets.read(namespace, prometheus.getSecretRef().getName());
      if (secret.isEmpty()) {
        return Optional.empty();
      }
    }

    return Optional.of(this.sources.forTarget(url, secret));
  }

  public static String missingSecret(PrometheusSource prometheus) {
    return "Secret " + prometheus.getSecretRef().getName() + " (spec.prometheus.secretRef) not found";
  }
}
