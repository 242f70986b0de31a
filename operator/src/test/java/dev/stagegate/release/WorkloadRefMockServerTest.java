package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.WorkloadRefStatus.Phase;
import dev.stagegate.testing.AdoptedDeployments;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * spec.workloadRef through the real operator on the Fabric8 mock server (fast; the field-manager semantics need the
 * real API server: WorkloadRefApiServerTest).
 */
@EnableKubernetesMockClient(crud = true)
class WorkloadRefMockServerTest {
  static KubernetesClient client;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final ScriptedMetrics metrics = new ScriptedMetrics().otherwise(0.001);
  private OperatorHarness harness;

  @BeforeEach
  void startCluster() {
    harness = new OperatorHarness(client, "shop", OperatorSettings.forTests("http://unused"), metrics).start();
  }

  @AfterEach
  void stopCluster() {
    harness.close();
    client.resources(Release.class).inNamespace("shop").delete();
    client.apps().deployments().inNamespace("shop").delete();
  }

  @Test
  @DisplayName("given Deployment legacy at 3 ready replicas, when a Release adopts it, then the Release runs legacy's pod template, legacy goes to 0 with originalReplicas 3 in status, and a new legacy template starts a canary")
  void adoptsAndFollowsTheReferencedTemplate() {
    AdoptedDeployments.create(client, "shop", "legacy", 3, "example.com/legacy:v1");
    harness.apply(AdoptedDeployments.adopting(Releases.named("web", "shop").replicas(3)
        .stage("half", 50, "1s").stage("full", 100, "1s"), "legacy"));

    Release adopted = harness.awaitStatus("web", "legacy scaled down", r -> r.getStatus().getWorkloadRef() != null
        && r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown, WAIT);
    assertThat(adopted.getStatus().getWorkloadRef().getOriginalReplicas()).isEqualTo(3);
    awaitLegacyReplicas(0);
    List<Deployment> owned = harness.deployments("web");
    assertThat(owned).hasSize(1);
    assertThat(owned.get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("example.com/legacy:v1");
    assertThat(owned.get(0).getSpec().getReplicas()).isEqualTo(3);

    // A GitOps change of legacy's template is a new revision of the Release.
    AdoptedDeployments.edit(client, "shop", "legacy", d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/legacy:v2");
      return d;
    });
    String stable = adopted.getStatus().getStableRevision();
    Release promoted = harness.awaitStatus("web", "v2 promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && !stable.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(harness.eventReasons("web")).contains("StageStarted");
    assertThat(promoted.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.ScaledDown);
    assertThat(AdoptedDeployments.replicas(client, "shop", "legacy")).as("legacy's template changed, not its replicas").isZero();
  }

  @Test
  @DisplayName("given a Release with progressDeadline 5s that scaled legacy to 0, when it is deleted and legacy's pods never become ready, then legacy is back at 3 and the Release goes once the deadline has passed: the wait is bounded")
  void deletionWaitIsBounded() {
    AdoptedDeployments.create(client, "shop", "legacy", 3, "example.com/legacy:v1");
    harness.apply(AdoptedDeployments.adopting(Releases.named("bounded", "shop").replicas(3).progressDeadline("5s")
        .stage("full", 100, "1s"), "legacy"));
    harness.awaitStatus("bounded", "legacy scaled down", r -> r.getStatus().getWorkloadRef() != null
        && r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown, WAIT);
    awaitLegacyReplicas(0);
    AdoptedDeployments.edit(client, "shop", "legacy", d -> {
      d.getSpec().getTemplate().getMetadata().getLabels().put(OperatorHarness.CRASH_LABEL, "true");
      return d;
    });

    client.resources(Release.class).inNamespace("shop").withName("bounded").delete();

    client.resources(Release.class).inNamespace("shop").withName("bounded").waitUntilCondition(r -> r == null,
        WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    Deployment legacy = client.apps().deployments().inNamespace("shop").withName("legacy").get();
    assertThat(legacy.getSpec().getReplicas()).isEqualTo(3);
    assertThat(legacy.getStatus() == null || legacy.getStatus().getReadyReplicas() == null
        || legacy.getStatus().getReadyReplicas() < 3).as("never ready: only the deadline let the Release go").isTrue();
  }

  @Test
  @DisplayName("given Deployment legacy labelled stagegate.dev/release (the mark of a Release's own Deployments), when a Release references it, then the Release waits saying so and legacy keeps its 3 replicas")
  void aReleaseOwnedDeploymentIsNeverAdopted() {
    AdoptedDeployments.create(client, "shop", "legacy", 3, "example.com/legacy:v1");
    AdoptedDeployments.edit(client, "shop", "legacy", d -> {
      d.getMetadata().setLabels(new java.util.HashMap<>(d.getMetadata().getLabels() == null ? java.util.Map.of()
          : d.getMetadata().getLabels()));
      d.getMetadata().getLabels().put("stagegate.dev/release", "other");
      return d;
    });

    harness.apply(AdoptedDeployments.adopting(Releases.named("mislabelled", "shop").replicas(3)
        .stage("full", 100, "1s"), "legacy"));

    Release waiting = harness.awaitStatus("mislabelled", "waiting for legacy", r -> r.getStatus().getMessage() != null
        && r.getStatus().getMessage().contains("waiting for Deployment legacy"), WAIT);
    assertThat(waiting.getStatus().getMessage()).contains("labelled stagegate.dev/release");
    assertThat(harness.deployments("mislabelled")).isEmpty();
    assertThat(AdoptedDeployments.replicas(client, "shop", "legacy")).isEqualTo(3);
  }

  private void awaitLegacyReplicas(int replicas) {
    client.apps().deployments().inNamespace("shop").withName("legacy").waitUntilCondition(
        d -> d != null && d.getSpec().getReplicas() == replicas, WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("given a Release that adopted legacy, when the Release is deleted, then legacy is back at 3 replicas before the Release is gone")
  void deletionRestoresFirst() {
    AdoptedDeployments.create(client, "shop", "legacy", 3, "example.com/legacy:v1");
    harness.apply(AdoptedDeployments.adopting(Releases.named("gone", "shop").replicas(3).stage("full", 100, "1s"), "legacy"));
    Release adopted = harness.awaitStatus("gone", "legacy scaled down", r -> r.getStatus().getWorkloadRef() != null
        && r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown, WAIT);
    assertThat(adopted.getMetadata().getFinalizers()).contains("stagegate.dev/workloadref-restore");
    awaitLegacyReplicas(0);

    client.resources(Release.class).inNamespace("shop").withName("gone").delete();

    client.resources(Release.class).inNamespace("shop").withName("gone").waitUntilCondition(r -> r == null,
        WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(AdoptedDeployments.replicas(client, "shop", "legacy")).isEqualTo(3);
  }

  @Test
  @DisplayName("given no Deployment named missing, when a Release references it, then it holds naming it with nothing deployed, and goes on once it is created")
  void missingDeploymentHolds() {
    harness.apply(AdoptedDeployments.adopting(Releases.named("waits", "shop").replicas(2).stage("full", 100, "1s"), "missing"));

    Release held = harness.awaitStatus("waits", "held", r -> r.getStatus().getMessage() != null
        && r.getStatus().getMessage().contains("Deployment missing"), WAIT);
    assertThat(held.getStatus().getMessage()).contains("spec.workloadRef.name");
    assertThat(harness.awaitEvents("waits", WAIT, "WorkloadRefMissing")).doesNotContain("StableDeployed");
    assertThat(harness.deployments("waits")).isEmpty();

    AdoptedDeployments.create(client, "shop", "missing", 2, "example.com/missing:v1");
    harness.awaitStatus("waits", "adopted", r -> r.getStatus().getWorkloadRef() != null
        && r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown, WAIT);
  }
}
