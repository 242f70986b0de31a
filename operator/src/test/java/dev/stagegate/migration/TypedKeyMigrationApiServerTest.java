package dev.stagegate.migration;


import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.ApiServerTier;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed-key migration scenarios against a real kube-apiserver + etcd: the generated CRD (new key fields
 * kept, not pruned), Job validation by the real API server, and status written with server-side apply.
 */
@Tag("apiserver")
class TypedKeyMigrationApiServerTest extends TypedKeyMigrationScenarios {
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

