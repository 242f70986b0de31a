package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.DataMigrations;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed-disaster scenarios against a real kube-apiserver + etcd: the generated CRD with its CEL rules,
 * Job validation by the real API server, and status written with server-side apply.
 */
@Tag("apiserver")
class SeedDisasterApiServerTest extends SeedDisasterScenarios {
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

  @Test
  @DisplayName("given a worker template the API server refuses (a container without image), then the migration Failed (WorkerFailed) with the API server's reason, and nothing was written or undone")
  void refusedWorkerJob() throws Exception {
    var worker = DataMigrations.job("loader", List.of());
    worker.getTemplate().getSpec().getContainers().get(0).setImage(null);
    harness.apply(members2025().worker(worker).stage("pilot", 1).stage("full", 100).build());

    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("WorkerFailed");
    assertThat(failed.getStatus().getMessage()).contains("refused", "image", "nothing was written");
    assertThat(harness.jobs()).isEmpty();
    assertThat(targetChecksum()).isEqualTo(before);
    harness.awaitEvents(NAME, WAIT, "JobRefused", "WorkerFailed");
  }
}
