package dev.stagegate.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.common.PrometheusSource;
import dev.stagegate.api.common.SecretRef;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Release (or DataMigration) names a Secret and a URL; the Secret's token is handed to a Prometheus client
 * only when the Secret's `stagegate.dev/prometheus-origin` annotation names that URL's origin. Before, any
 * same-namespace Secret's token went to whatever URL the resource chose.
 */
@EnableKubernetesMockClient(crud = true)
class PrometheusOriginMockServerTest {
  static KubernetesClient client;
  private static final String TOKEN = "tok-never-elsewhere-9Qz";

  /** Records every (url, credentials) a client was built for; the token must only ever reach the allowed origin. */
  private final List<String> handedOut = new ArrayList<>();
  private final MetricsSources sources = (url, secret) -> {
    handedOut.add(url + " " + secret.map(v -> v.get("token")).orElse("-"));
    return (MetricsSource) (query, timeout) -> new QueryResult.Failed("not asked in this test");
  };

  private ResourcePrometheus.Lookup lookup(String annotation, String url) {
    var secret = new SecretBuilder().withNewMetadata().withName("prom").withNamespace("shop").endMetadata()
        .addToStringData("token", TOKEN);
    if (annotation != null) {
      secret.editMetadata().addToAnnotations(PrometheusOrigin.ANNOTATION, annotation).endMetadata();
    }
    client.secrets().inNamespace("shop").resource(secret.build()).createOr(s -> s.update());
    return new ResourcePrometheus(sources, new SecretValues(client))
        .lookup(new PrometheusSource(url, new SecretRef("prom")), "shop");
  }

  @ParameterizedTest(name = "annotation {0}, url {1}: refused")
  @DisplayName("given a Secret not bound to the URL's origin, then no client gets its token and the reason names the Secret and annotation, never the token")
  @CsvSource(nullValues = "none", value = {
      "none, https://prometheus.monitoring:9090",
      "https://prometheus.monitoring:9090, https://attacker.example:9090",
      "https://prometheus.monitoring:9090, http://prometheus.monitoring:9090",
      "https://prometheus.monitoring:9090, https://prometheus.monitoring:9091",
      "https://prometheus.monitoring:9090, https://prometheus.monitoring.attacker.example:9090",
      "prometheus.monitoring:9090, https://prometheus.monitoring:9090",
  })
  void refused(String annotation, String url) {
    ResourcePrometheus.Lookup lookup = lookup(annotation, url);

    assertThat(lookup.source()).isEmpty();
    assertThat(handedOut).isEmpty();
    assertThat(lookup.problem()).contains("Secret prom", PrometheusOrigin.ANNOTATION).doesNotContain(TOKEN);
  }

  @ParameterizedTest(name = "annotation {0}, url {1}: sent")
  @DisplayName("given a Secret bound to the URL's origin (default ports and case equal), then the client for that URL gets its token")
  @CsvSource({
      "https://prometheus.monitoring:9090, https://prometheus.monitoring:9090",
      "https://prometheus.monitoring:9090, https://prometheus.monitoring:9090/prefix",
      "https://Prometheus.Monitoring, https://prometheus.monitoring:443",
      "http://prometheus.monitoring:80, http://prometheus.monitoring",
  })
  void sent(String annotation, String url) {
    ResourcePrometheus.Lookup lookup = lookup(annotation, url);

    assertThat(lookup.source()).isPresent();
    assertThat(handedOut).containsExactly(url + " " + TOKEN);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("given no spec.prometheus.url (the operator's own Prometheus, chosen at install), then the Secret needs no annotation")
  void operatorPrometheusNeedsNoBinding() {
    assertThat(lookup(null, null).source()).isPresent();
    assertThat(handedOut).containsExactly("null " + TOKEN);
    assertThat(Optional.ofNullable(lookup(null, null).problem())).isEmpty();
  }
}
