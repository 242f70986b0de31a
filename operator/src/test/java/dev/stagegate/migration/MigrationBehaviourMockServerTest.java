package dev.stagegate.migration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The DataMigration behaviour scenarios on Fabric8's mock API server (fast, no schema or CEL rules). */
@EnableKubernetesMockClient(crud = true)
class MigrationBehaviourMockServerTest extends MigrationBehaviourScenarios {
  static KubernetesClient client;

  @Override
  protected KubernetesClient client() {
    return client;
  }
}
