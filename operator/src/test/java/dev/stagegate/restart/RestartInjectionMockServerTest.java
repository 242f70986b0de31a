package dev.stagegate.restart;

import dev.stagegate.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** Restart injection at every recorded transition, on Fabric8's mock API server (CRUD mode) for speed. */
@EnableKubernetesMockClient(crud = true)
class RestartInjectionMockServerTest extends RestartInjectionScenarios {
  static KubernetesClient client;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected OperatorSettings settings() {
    return OperatorSettings.forTests("http://unused");
  }

  @Override
  protected int samplePerScenario() {
    return 0;
  }

  @Override
  protected int parallelRuns() {
    return 3;
  }
}
