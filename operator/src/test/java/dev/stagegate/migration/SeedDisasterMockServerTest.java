package dev.stagegate.migration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The seed-disaster scenarios on the Fabric8 mock server (CRUD mode): no SSA, schema or CEL. */
@EnableKubernetesMockClient(crud = true)
class SeedDisasterMockServerTest extends SeedDisasterScenarios {
  static KubernetesClient client;

  @Override
  protected KubernetesClient client() {
    return client;
  }
}
