package dev.stagegate.migration;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.ApiServerTier;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The linked scenarios against a real kube-apiserver + etcd: both generated CRDs with their gate rules, the
 * operator's informers on the other kind, status written with server-side apply.
 */
@Tag("apiserver")
class LinkedRolloutApiServerTest extends LinkedRolloutScenarios {
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
}
