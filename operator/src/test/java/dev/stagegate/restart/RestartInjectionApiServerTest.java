package dev.stagegate.restart;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.ApiServerTier;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restart injection on a real kube-apiserver + etcd (schema, CEL, server-side apply of status, real
 * resourceVersions): the same scenarios, with an evenly spread sample of their transitions.
 */
@Tag("apiserver")
class RestartInjectionApiServerTest extends RestartInjectionScenarios {
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();

  @Override
  protected KubernetesClient client() {
    return apiServer.client();
  }

  @Override
  protected OperatorSettings settings() {
    return ApiServerTier.settings();
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
