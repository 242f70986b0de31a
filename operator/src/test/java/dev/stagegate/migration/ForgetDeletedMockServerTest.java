package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.kube.EventRecorder;
import dev.stagegate.kube.ForgetDeleted;
import dev.stagegate.kube.ReconcileFailures;
import dev.stagegate.testing.DataMigrations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the operator remembers per resource is dropped when JOSDK reports the resource deleted, so a re-created
 * resource of the same name starts clean and nothing grows with every resource ever created.
 */
@EnableKubernetesMockClient(crud = true)
class ForgetDeletedMockServerTest {
  static KubernetesClient client;
  private static final String JOB = "members-2025-pilot-load";

  private static DataMigration migration(String uid) {
    DataMigration m = DataMigrations.members2025("portal").build();
    m.getMetadata().setUid(uid);
    DataMigrationStatus status = new DataMigrationStatus();
    StageProgress pilot = new StageProgress();
    pilot.setName("pilot");
    pilot.setJob(new JobRun(JOB, 1, "2026-03-01T10:00:00Z"));
    status.setStages(List.of(pilot));
    m.setStatus(status);
    return m;
  }

  private static void deleted(ForgetDeleted forget, String kind) {
    forget.cleanupDoneFor(new ResourceID("members-2025", "portal"),
        Map.of(Constants.RESOURCE_GVK_KEY, new GroupVersionKind("stagegate.dev", "v1alpha1", kind)));
  }

  @Test
  @DisplayName("given a DataMigration whose Job the API server refused, when it is deleted and re-created under the same name, then the new one does not inherit the refusal")
  void refusalsGoWithTheResource() {
    MigrationJobs jobs = new MigrationJobs(client);
    ForgetDeleted forget = new ForgetDeleted();
    forget.register("DataMigration", jobs::forget);
    jobs.refused(migration("uid-1"), JOB, "the API server refused the Job: spec.template: invalid");

    deleted(forget, "DataMigration");

    assertThat(jobs.observe(migration("uid-2"), List.of())).as("the re-created migration's Job is simply not created yet")
        .doesNotContainKey(JOB);
  }

  @Test
  @DisplayName("given a reconcile error reported once, when the resource is deleted and re-created and fails the same way, then it is reported again")
  void reportedErrorsGoWithTheResource() {
    ReconcileFailures failures = new ReconcileFailures(new EventRecorder(client, Clock.systemUTC()));
    ForgetDeleted forget = new ForgetDeleted();
    forget.register("DataMigration", id -> failures.forget(id.getNamespace().orElse(null) + "/" + id.getName()));
    DataMigration first = migration("uid-1");
    failures.report(first, new IllegalStateException("boom"));
    failures.report(first, new IllegalStateException("boom"));
    assertThat(events()).isEqualTo(1);

    deleted(forget, "DataMigration");
    failures.report(migration("uid-2"), new IllegalStateException("boom"));

    assertThat(events()).isEqualTo(2);
  }

  private static long events() {
    return client.v1().events().inNamespace("portal").list().getItems().stream()
        .filter(e -> "ReconcileFailed".equals(e.getReason())).count();
  }
}
