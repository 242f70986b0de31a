package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageState;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API server refusing a Job for a while (403 from a full ResourceQuota, then a 500) is not the Job
 * failing: the migration waits, creates it once the server accepts, and ends as if nothing happened. Before,
 * a 403 counted as a failed Job and the migration rolled back.
 */
@Tag("postgres")
@EnableKubernetesMockClient(crud = true)
class TransientApiErrorsMockServerTest extends MigrationScenarioBase {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Test
  @DisplayName("given the first Job creations answered 403 (quota) twice and then 500, then the migration succeeds with every stage loaded once and none undone; a Warning says why it waited")
  void quotaAndServerErrorsAreRetried() throws Exception {
    String jobs = "/apis/batch/v1/namespaces/" + harness.namespace() + "/jobs";
    server.expect().post().withPath(jobs).andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403)
        .withReason("Forbidden").withMessage("jobs \"members-2025-pilot\" is forbidden: exceeded quota: jobs, requested:"
            + " count/jobs.batch=1, used: count/jobs.batch=5, limited: count/jobs.batch=5").build()).times(2);
    server.expect().post().withPath(jobs).andReturn(500, new StatusBuilder().withStatus("Failure").withCode(500)
        .withMessage("etcdserver: request timed out").build()).once();
    harness.apply(members2025().stage("pilot", 1).stage("full", 100).build());

    DataMigration done = runToEnd();

    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(done.getStatus().getStages()).allSatisfy(s -> {
      assertThat(s.getState()).isEqualTo(StageState.Verified);
      assertThat(s.getUndo()).isNull();
    });
    assertThat(harness.jobRuns().values()).as("runs per Job").allSatisfy(runs -> assertThat(runs).isEqualTo(1));
    assertThat(targetRows()).isEqualTo(EXISTING + rows());
    String warnings = harness.events(NAME).stream().filter(e -> "ReconcileFailed".equals(e.getReason()))
        .map(Event::getMessage).collect(Collectors.joining("\n"));
    assertThat(warnings).contains("exceeded quota");
    assertThat(harness.eventReasons(NAME)).doesNotContain("JobRefused");
  }
}
