package dev.stagegate.migration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The linked Release + DataMigration scenarios on Fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class LinkedRolloutMockServerTest extends LinkedRolloutScenarios {
  static KubernetesClient client;

  @Override
  protected KubernetesClient client() {
    return client;
  }
}
