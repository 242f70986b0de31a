package dev.stagegate.migration;

import dev.stagegate.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The typed-key migration scenarios on the Fabric8 mock server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class TypedKeyMigrationMockServerTest extends TypedKeyMigrationScenarios {
  static KubernetesClient client;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected OperatorSettings settings() {
    return OperatorSettings.forTests("http://unused");
  }
}
