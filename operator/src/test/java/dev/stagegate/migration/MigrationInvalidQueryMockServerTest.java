package dev.stagegate.migration;

import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.testing.FaultyPrometheus;
import dev.stagegate.testing.FaultyPrometheus.Answer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;

/**
 * The refused-query scenarios against a loopback Prometheus that answers the broken query with Prometheus' own HTTP 400
 * `bad_data` body (and 0 to anything else), so every query the operator asks is counted.
 */
@EnableKubernetesMockClient(crud = true)
class MigrationInvalidQueryMockServerTest extends MigrationInvalidQueryScenarios {
  static KubernetesClient client;

  private final FaultyPrometheus prometheus = new FaultyPrometheus();

  MigrationInvalidQueryMockServerTest() {
    prometheus.answer(Answer.value("0"));
    prometheus.answerWhen(BROKEN::equals, new Answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"query\\\": 1:14: parse error: unclosed left parenthesis\"}", Duration.ZERO));
  }

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected MetricsSources metricsSources() {
    return MetricsSources.prometheus(prometheus.url(), PrometheusAuth.none());
  }

  @Override
  protected OptionalInt queriesAsked() {
    return OptionalInt.of(prometheus.queries());
  }

  @AfterEach
  void closePrometheus() {
    prometheus.close();
  }
}
