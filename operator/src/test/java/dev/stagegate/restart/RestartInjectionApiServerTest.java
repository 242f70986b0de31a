package dev.stagegate.restart;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Restart injection on a real kube-apiserver + etcd (schema, CEL, server-side apply of status, real
 * resourceVersions): the same scenarios, with an evenly spread sample of their transitions.
 */
@Tag("apiserver")
class RestartInjectionApiServerTest extends RestartInjectionScenarios {
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

  @Override
  protected int samplePerScenario() {
    return 5;
  }

  @Override
  protected int parallelRuns() {
    return 2;
  }
}
