package dev.stagegate.migration;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The same DataMigration behaviour scenarios against a real kube-apiserver + etcd: the generated CRD with its
 * schema and CEL rules, Job validation by the real API server, and status written with server-side apply.
 */
@Tag("apiserver")
class MigrationBehaviourApiServerTest extends MigrationBehaviourScenarios {
  private static KubernetesClient client;

  @BeforeAll
  static void connect() {
    client = RealApiServer.client();
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected OperatorSettings settings() {
    return OperatorSettings.forTests("http://unused").withServerSideApply(true);
  }
}
