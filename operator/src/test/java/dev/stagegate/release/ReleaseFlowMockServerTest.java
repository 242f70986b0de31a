package dev.stagegate.release;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Release scenarios on the Fabric8 mock server (CRUD mode): fast, but no SSA, schema or CEL. */
@EnableKubernetesMockClient(crud = true)
class ReleaseFlowMockServerTest extends ReleaseFlowScenarios {
  static KubernetesClient client;
  private OperatorHarness harness;

  @BeforeEach
  void startCluster() {
    // The mock server cannot do server-side apply: status is written with merge patches here.
    harness = new OperatorHarness(client, "shop", OperatorSettings.forTests("http://unused"), metrics).start();
  }

  @AfterEach
  void stopCluster() {
    harness.close();
  }

  @Override
  protected OperatorHarness harness() {
    return harness;
  }
}
