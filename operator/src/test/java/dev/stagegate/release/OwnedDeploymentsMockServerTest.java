package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hands on the operator's Deployments: the stable one deleted mid-canary, and hand edits of an owned Deployment.
 * Through the real operator on the Fabric8 mock server (CRUD mode), with the fake kubelet making pods ready.
 */
@EnableKubernetesMockClient(crud = true)
class OwnedDeploymentsMockServerTest {
  static KubernetesClient client;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final ScriptedMetrics metrics = new ScriptedMetrics().otherwise(0.001);
  private OperatorHarness harness;
  private String stableImage;

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

  /** A stable revision, then a canary held in its first (hour-long) stage. */
  private String[] canaryInFirstStage(String name) {
    harness.apply(Releases.named(name, "shop").stage("slow", 10, "1h").stage("full", 100, "1s")
        .errorRateCheck("500ms", 2, 0.01).build());
    Release promoted = harness.awaitPhase(name, ReleasePhase.Promoted, WAIT);
    String stable = promoted.getStatus().getStableRevision();
    stableImage = promoted.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    String canary = RevisionHash.of(harness.changeImage(name, "example.com/" + name + ":v2"));
    harness.awaitStatus(name, "canary ready in stage slow", r -> canary.equals(r.getStatus().getCanaryRevision())
        && harness.replicasByRevision(name).getOrDefault(canary, 0) > 0, WAIT);
    return new String[] {stable, canary};
  }

  private static Condition condition(Release r, String type) {
    return r.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("given a canary in its first stage, when the stable Deployment is deleted by hand, then no reconcile fails, the canary keeps its pods, and the Release is Paused (StableMissing, Stalled) saying why and what to do")
  void stableDeletedMidCanaryHolds() {
    String[] revs = canaryInFirstStage("gone");
    int canaryPods = harness.replicasByRevision("gone").get(revs[1]);

    client.apps().deployments().inNamespace("shop").withName("gone-" + revs[0]).delete();

    Release held = harness.awaitPause("gone", "StableMissing", WAIT);
    assertThat(held.getStatus().getPhase()).isEqualTo(ReleasePhase.Paused);
    assertThat(held.getStatus().getMessage()).contains("gone-" + revs[0], "cannot be re-created", "promote-full", "abort");
    assertThat(condition(held, "Stalled").getStatus()).isEqualTo("True");
    assertThat(harness.awaitEvents("gone", WAIT, "StableMissing")).doesNotContain("ReconcileFailed", "RolledBack");
    assertThat(harness.replicasByRevision("gone")).containsOnlyKeys(revs[1]).containsEntry(revs[1], canaryPods);

    harness.annotate("gone", "promote-full");
    Release promoted = harness.awaitPhase("gone", ReleasePhase.Promoted, WAIT);
    assertThat(promoted.getStatus().getStableRevision()).isEqualTo(revs[1]);
    assertThat(harness.eventReasons("gone")).doesNotContain("ReconcileFailed");
  }

  @Test
  @DisplayName("given the stable Deployment deleted mid-canary, when spec.template is set back to the stable revision's, then stable is re-created at full size and the canary goes")
  void stableDeletedThenTemplateRevertedRecreatesIt() {
    String[] revs = canaryInFirstStage("back");
    client.apps().deployments().inNamespace("shop").withName("back-" + revs[0]).delete();
    harness.awaitPause("back", "StableMissing", WAIT);

    harness.changeImage("back", stableImage);
    harness.awaitStatus("back", "stable re-created, canary gone", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && harness.replicasByRevision("back").getOrDefault(revs[0], 0) > 0
        && harness.replicasByRevision("back").getOrDefault(revs[1], 0) == 0, WAIT);
    assertThat(harness.eventReasons("back")).doesNotContain("ReconcileFailed");
  }

  @Test
  @DisplayName("given a promoted Release, when its Deployment's image and revision label are edited by hand, then both are put back and a DriftRepaired Warning says what was edited")
  void handEditsAreRepaired() {
    harness.apply(Releases.named("drift", "shop").stage("full", 100, "1s").build());
    Release promoted = harness.awaitPhase("drift", ReleasePhase.Promoted, WAIT);
    String revision = promoted.getStatus().getStableRevision();
    String image = promoted.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    var deployments = client.apps().deployments().inNamespace("shop").withName("drift-" + revision);
    harness.awaitStatus("drift", "live template recorded", r -> deployments.get().getMetadata().getAnnotations() != null
        && deployments.get().getMetadata().getAnnotations().containsKey("stagegate.dev/live-template-hash"), WAIT);

    deployments.edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/evil:latest");
      d.getMetadata().getLabels().put("stagegate.dev/revision", "hand-made");
      return d;
    });

    assertThat(harness.awaitEvents("drift", WAIT, "DriftRepaired")).doesNotContain("ReconcileFailed");
    harness.awaitStatus("drift", "image and label put back", r -> {
      var d = deployments.get();
      return image.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          && revision.equals(d.getMetadata().getLabels().get("stagegate.dev/revision"));
    }, WAIT);
    assertThat(client.v1().events().inNamespace("shop").list().getItems().stream()
        .filter(e -> "DriftRepaired".equals(e.getReason())).findFirst().orElseThrow().getMessage())
        .contains("drift-" + revision, "labels", "pod template");
  }
}
