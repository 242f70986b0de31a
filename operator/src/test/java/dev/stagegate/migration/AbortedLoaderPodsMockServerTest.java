package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.GuardOutcome;
import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.JobKind;
import dev.stagegate.migration.plan.MigrationObservation;
import dev.stagegate.migration.plan.MigrationPlan;
import dev.stagegate.migration.plan.MigrationPlanner;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import dev.stagegate.testing.DataMigrations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An aborted loader's Job object can be gone (deleted with background propagation) while its pod still writes.
 * The undo must not start until no pod of that Job runs. Before, the undo Job was requested the turn the Job
 * object disappeared. The Job controller is played by hand: this tier has none.
 */
@EnableKubernetesMockClient(crud = true)
class AbortedLoaderPodsMockServerTest {
  static KubernetesClient client;
  private static final String NS = "portal";
  private static final String LOADER = "members-2025-pilot-load";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final MigrationPlanner planner = new MigrationPlanner(Duration.ofSeconds(5));
  private MigrationJobs jobs;
  private DataMigration migration;
  private Instant now = T0;

  @BeforeEach
  void abortedWhileLoading() {
    client.pods().inNamespace(NS).delete();
    client.batch().v1().jobs().inNamespace(NS).delete();
    jobs = new MigrationJobs(client);
    migration = DataMigrations.members2025(NS).build();
    migration.getMetadata().setUid("0123456789abcdef");
    step(Map.of(), null);
    step(Map.of(), new PreflightOutcome.Ready(List.of(
        new GuardOutcome("source-is-production", CheckResult.Pass, "members_prod", "= members_prod", "ok"),
        new GuardOutcome("no-test-fixtures", CheckResult.Pass, "0", "<= 0", "ok")),
        new Boundaries(250_000, List.of(new StageRange(1, 2_501, 2_500), new StageRange(2_501, 25_001, 22_500),
            new StageRange(25_001, 250_001, 225_000)))));
    step(Map.of(LOADER, new ObservedJob(LOADER, "uid-load", JobState.Running, null)), null);
    migration.getMetadata().setAnnotations(Map.of("stagegate.dev/action", "abort"));
    MigrationPlan abort = planner.plan(migration, new MigrationObservation(1, "abort",
        Map.of(LOADER, new ObservedJob(LOADER, "uid-load", JobState.Running, null)), null, Map.of(), Map.of()), now);
    migration.setStatus(abort.status());
    migration.getMetadata().setAnnotations(null);
    assertThat(abort.jobs()).containsExactly(new JobChange.Delete(LOADER));
  }

  private MigrationPlan step(Map<String, ObservedJob> seen, PreflightOutcome preflight) {
    MigrationPlan plan = planner.plan(migration, new MigrationObservation(1, null, seen, preflight, Map.of(), Map.of()), now);
    migration.setStatus(plan.status());
    now = now.plusSeconds(1);
    return plan;
  }

  /** A turn as the reconciler takes it: the Job is no longer in the cache, only its pods may remain. */
  private MigrationPlan turnWithJobGone() {
    return step(jobs.observe(migration, List.of()), null);
  }

  private Pod loaderPod(String phase) {
    return client.pods().inNamespace(NS).resource(new PodBuilder()
        .withNewMetadata().withName(LOADER + "-x7k2p").withNamespace(NS)
          .addToLabels("batch.kubernetes.io/job-name", LOADER).addToLabels("job-name", LOADER)
          .addToLabels("batch.kubernetes.io/controller-uid", "uid-load").endMetadata()
        .withNewSpec().addNewContainer().withName("loader").withImage("example.com/loader:1").endContainer().endSpec()
        .withNewStatus().withPhase(phase).endStatus().build()).createOr(p -> p.update());
  }

  @Test
  @DisplayName("given the aborted loader's Job gone but its pod still Running, then no undo Job is requested; once the pod has stopped, the undo starts")
  void undoWaitsForThePods() {
    loaderPod("Running");

    MigrationPlan waiting = turnWithJobGone();
    assertThat(waiting.jobs()).as("no undo while the pod writes").noneMatch(c -> c instanceof JobChange.Create);
    assertThat(waiting.status().getPhase()).isEqualTo(MigrationPhase.RollingBack);
    assertThat(waiting.status().getStages().get(0).getJob().getState()).isEqualTo(JobState.Running);
    assertThat(waiting.status().getMessage()).contains("stopping worker Job " + LOADER);
    assertThat(turnWithJobGone().jobs()).as("still none on the next turn").noneMatch(c -> c instanceof JobChange.Create);

    loaderPod("Failed");
    MigrationPlan undo = turnWithJobGone();
    assertThat(undo.jobs()).containsExactly(new JobChange.Create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
    assertThat(undo.status().getStages().get(0).getJob().getState()).isEqualTo(JobState.Cancelled);
  }

  @Test
  @DisplayName("given the aborted loader's Job gone and no pod of it left, then the undo starts at once")
  void noPodsNoWait() {
    assertThat(turnWithJobGone().jobs()).containsExactly(new JobChange.Create(JobKind.UNDO, 0, "members-2025-pilot-undo"));
  }

  @Test
  @DisplayName("given a Job of the same name left by a deleted DataMigration of the same name (another owner uid), then it is never taken for this one's: its success does not count as this stage loaded, and creating ours reports the clash")
  void sameNamedJobOfAnotherOwnerIsNotAdopted() {
    DataMigration fresh = DataMigrations.members2025(NS).build();
    fresh.getMetadata().setUid("fedcba9876543210");
    fresh.setStatus(migration.getStatus());
    var old = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
        .withNewMetadata().withName(LOADER).withNamespace(NS).withUid("uid-old")
          .addNewOwnerReference().withApiVersion("stagegate.dev/v1alpha1").withKind("DataMigration")
            .withName("members-2025").withUid("0123456789abcdef").withController(true).endOwnerReference()
        .endMetadata()
        .withNewStatus().addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build();
    client.batch().v1().jobs().inNamespace(NS).resource(old).createOr(j -> j.update());

    assertThat(jobs.observe(fresh, List.of(old))).as("the old owner's Job is not observed as ours").doesNotContainKey(LOADER);

    jobs.create(fresh, new JobChange.Create(JobKind.LOAD, 0, LOADER));
    ObservedJob refused = jobs.observe(fresh, List.of(old)).get(LOADER);
    assertThat(refused.state()).isEqualTo(JobState.Failed);
    assertThat(refused.message()).contains("belongs to another owner");
  }
}
