package dev.stagegate.migration;

import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.testing.RealComponent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

/**
 * The refused-query scenarios judged by the real Prometheus (Debian's package): whether the broken text is a parse
 * error, and what it says, is Prometheus' own answer. It cannot count the queries it is asked; the check's evaluation
 * time in status shows none was evaluated again.
 */
@Tag("prometheus")
@EnableKubernetesMockClient(crud = true)
class MigrationInvalidQueryPrometheusTest extends MigrationInvalidQueryScenarios {
  static KubernetesClient client;

  private PrometheusServer prometheus;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected MetricsSources metricsSources() {
    prometheus = new PrometheusServer(RealComponent.prometheus()).start();
    return MetricsSources.prometheus(prometheus.url(), PrometheusAuth.none());
  }

  @Override
  protected OptionalInt queriesAsked() {
    return OptionalInt.empty();
  }

  @AfterEach
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }
}
