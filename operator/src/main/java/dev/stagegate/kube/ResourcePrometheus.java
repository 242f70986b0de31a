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

  /** The source to query, or why there is none (a missing Secret, or one not meant for this URL's origin). */
  public Lookup lookup(PrometheusSource prometheus, String namespace) {
    String url = prometheus == null ? null : prometheus.getUrl();
    Optional<Map<String, String>> secret = Optional.empty();
    if (prometheus != null && prometheus.getSecretRef() != null) {
      String name = prometheus.getSecretRef().getName();
      Optional<SecretValues.Annotated> read = this.secrets.readAnnotated(namespace, name);
      if (read.isEmpty()) {
        return new Lookup(Optional.empty(), missingSecret(prometheus));
      }
      // Without a URL the operator's own Prometheus (chosen by whoever installed it) is asked: no binding needed.
      if (url != null) {
        Optional<String> refusal = PrometheusOrigin.refusal(name, read.get().annotations().get(PrometheusOrigin.ANNOTATION), url);
        if (refusal.isPresent()) {
          this.secrets.forget(namespace, name); // an annotation fixed later is seen next turn
          return new Lookup(Optional.empty(), refusal.get());
        }
      }
      secret = Optional.of(read.get().values());
    }

    return new Lookup(Optional.of(this.sources.forTarget(url, secret, namespace)), null);
  }

  public Optional<MetricsSource> of(PrometheusSource prometheus, String namespace) {
    return lookup(prometheus, namespace).source();
  }

  public static String missingSecret(PrometheusSource prometheus) {
    return "Secret " + prometheus.getSecretRef().getName() + " (spec.prometheus.secretRef) not found";
  }

  /** A source, or the reason (naming Secret and field, never a value) that there is none. */
  public record Lookup(Optional<MetricsSource> source, String problem) {
  }
}
