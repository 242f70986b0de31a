package dev.stagegate.migration;


import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The typed-key migration scenarios against a real kube-apiserver + etcd: the generated CRD (new key fields
 * kept, not pruned), Job validation by the real API server, and status written with server-side apply.
 */
@Tag("apiserver")
class TypedKeyMigrationApiServerTest extends TypedKeyMigrationScenarios {
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

