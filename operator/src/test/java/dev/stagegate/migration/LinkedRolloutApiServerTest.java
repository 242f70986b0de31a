package dev.stagegate.migration;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The linked scenarios against a real kube-apiserver + etcd: both generated CRDs with their gate rules, the
 * operator's informers on the other kind, status written with server-side apply.
 */
@Tag("apiserver")
class LinkedRolloutApiServerTest extends LinkedRolloutScenarios {
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
