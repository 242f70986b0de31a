package dev.stagegate.migration;

import dev.stagegate.OperatorSettings;
import dev.stagegate.testing.ApiServerTier;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same DataMigration behaviour scenarios against a real kube-apiserver + etcd: the generated CRD with its
 * schema and CEL rules, Job validation by the real API server, and status written with server-side apply.
 */
@Tag("apiserver")
class MigrationBehaviourApiServerTest extends MigrationBehaviourScenarios {
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
