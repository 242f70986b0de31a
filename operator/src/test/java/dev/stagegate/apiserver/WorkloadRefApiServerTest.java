package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.WorkloadRefStatus.Phase;
import dev.stagegate.examples.Examples;
import dev.stagegate.release.WorkloadRefs;
import dev.stagegate.testing.AdoptedDeployments;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.workloadRef on the real kube-apiserver, where field ownership is real: a GitOps tool (field manager
 * "argocd-controller", server-side apply with force as Argo CD does) owns the adopted Deployment, the operator owns
 * only its spec.replicas (field manager stagegate-workloadref). The fake kubelet makes every Deployment's pods ready.
 */
@Tag("apiserver")
class WorkloadRefApiServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String GITOPS = "argocd-controller";
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();
  private static int run;
  private OperatorHarness harness;
  private String ns;

  @BeforeEach
  void startOperator() {
    ns = "adopt-" + (++run);
    harness = new OperatorHarness(apiServer.client(), ns, ApiServerTier.settings(),
        new ScriptedMetrics().otherwise(0.001)).start();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  /** What the GitOps tool applies: the whole Deployment from git, forcing conflicts. */
  private Deployment gitOpsApply(int replicas, String image) {
    return apiServer.client().apps().deployments().inNamespace(ns).resource(AdoptedDeployments.legacy(ns, "legacy", replicas, image))
        .fieldManager(GITOPS).forceConflicts().serverSideApply();
  }

  private Deployment awaitLegacy(String description, Predicate<Deployment> condition) {
    return apiServer.client().apps().deployments().inNamespace(ns).withName("legacy").waitUntilCondition(
        d -> d != null && condition.test(d), WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static boolean owns(Deployment d, String manager, String field) {
    for (ManagedFieldsEntry e : d.getMetadata().getManagedFields()) {
      if (manager.equals(e.getManager()) && e.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
          && spec.containsKey(field)) {
        return true;
      }
    }
    return false;
  }

  private Release awaitWorkloadRef(String name, String description, Predicate<Release> condition) {
    return harness.awaitStatus(name, description, r -> r.getStatus() != null && r.getStatus().getWorkloadRef() != null
        && condition.test(r), WAIT);
  }

  @Test
  @DisplayName("given a GitOps-owned Deployment at 3 replicas adopted by a Release, when the GitOps tool re-applies it with replicas=5 while it is held at 0, then 5 becomes the original count, it is held at 5 - 3 ready = 2 with one write and no loop, and the operator owns nothing of it but spec.replicas")
  void gitOpsReplicasAreNotFought() throws Exception {
    gitOpsApply(3, "example.com/legacy:v1");
    awaitLegacy("3 ready", d -> d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getReadyReplicas()));
    harness.apply(AdoptedDeployments.adopting(Releases.named("shop", ns).replicas(3).stage("full", 100, "1s"), "legacy"));

    awaitWorkloadRef("shop", "legacy scaled down", r -> r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown);
    Deployment held = awaitLegacy("held at 0", d -> d.getSpec().getReplicas() == 0);
    assertThat(harness.get("shop").getStatus().getWorkloadRef().getOriginalReplicas()).isEqualTo(3);
    assertThat(owns(held, WorkloadRefs.FIELD_MANAGER, "f:replicas")).isTrue();
    assertThat(owns(held, WorkloadRefs.FIELD_MANAGER, "f:template")).as("the operator never owns the template").isFalse();
    assertThat(owns(held, GITOPS, "f:template")).isTrue();
    assertThat(owns(held, GITOPS, "f:replicas")).as("forced away from the GitOps tool: only this field").isFalse();

    // The GitOps tool syncs replicas: 5 from git (forced, as Argo CD's server-side apply does).
    gitOpsApply(5, "example.com/legacy:v1");

    Release changed = awaitWorkloadRef("shop", "original 5", r -> Integer.valueOf(5).equals(r.getStatus().getWorkloadRef().getOriginalReplicas()));
    Deployment settled = awaitLegacy("held at 5 - 3", d -> d.getSpec().getReplicas() == 2);
    assertThat(harness.awaitEvents("shop", WAIT, "WorkloadRefReplicasChanged")).isNotEmpty();
    assertThat(changed.getStatus().getWorkloadRef().getScaledDownTo()).isEqualTo(2);

    // No loop: a window of operator turns later nobody wrote legacy again, and capacity is 5 in all, not 5 + 3.
    harness.annotate("shop", "resume"); // a few more reconciles of the Release
    Thread.sleep(3000);
    Deployment later = apiServer.client().apps().deployments().inNamespace(ns).withName("legacy").get();
    assertThat(later.getSpec().getReplicas()).isEqualTo(2);
    assertThat(later.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(later.getMetadata().getGeneration()).as("spec written once after the GitOps change")
        .isEqualTo(settled.getMetadata().getGeneration());
    assertThat(harness.get("shop").getStatus().getReplicas() + later.getStatus().getReadyReplicas()).isEqualTo(5);
    assertThat(harness.eventReasons("shop").stream().filter("WorkloadRefReplicasChanged"::equals)).hasSize(1);
  }

  @Test
  @DisplayName("given a Release that scaled legacy to 0, when the Release is deleted while legacy's pods cannot become ready, then the finalizer holds it (Restoring, legacy at 3) until they are ready, and only then it goes")
  void deletionWaitsForTheRestoredPods() {
    gitOpsApply(3, "example.com/legacy:v1");
    harness.apply(AdoptedDeployments.adopting(Releases.named("shop", ns).replicas(3).stage("full", 100, "1s"), "legacy"));
    awaitWorkloadRef("shop", "legacy scaled down", r -> r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown);
    awaitLegacy("held at 0", d -> d.getSpec().getReplicas() == 0);
    // legacy's next pods will not become ready (the fake kubelet's crash-looping label).
    AdoptedDeployments.edit(apiServer.client(), ns, "legacy", d -> {
      d.getSpec().getTemplate().getMetadata().getLabels().put(OperatorHarness.CRASH_LABEL, "true");
      return d;
    });

    apiServer.client().resources(Release.class).inNamespace(ns).withName("shop").delete();

    Release restoring = awaitWorkloadRef("shop", "restoring", r -> r.getStatus().getWorkloadRef().getPhase() == Phase.Restoring);
    assertThat(restoring.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(awaitLegacy("back at 3", d -> d.getSpec().getReplicas() == 3).getSpec().getReplicas()).isEqualTo(3);
    assertThat(harness.get("shop")).as("held while legacy's pods are not ready").isNotNull();
    assertThat(harness.deployments("shop")).as("the Release's own pods still serve").isNotEmpty();

    AdoptedDeployments.edit(apiServer.client(), ns, "legacy", d -> {
      d.getSpec().getTemplate().getMetadata().getLabels().remove(OperatorHarness.CRASH_LABEL);
      return d;
    });
    apiServer.client().resources(Release.class).inNamespace(ns).withName("shop").waitUntilCondition(r -> r == null,
        WAIT.toSeconds(), TimeUnit.SECONDS);
    Deployment restored = apiServer.client().apps().deployments().inNamespace(ns).withName("legacy").get();
    assertThat(restored.getSpec().getReplicas()).isEqualTo(3);
    assertThat(restored.getStatus().getReadyReplicas()).isEqualTo(3);
  }

  @Test
  @DisplayName("given a Release that scaled legacy to 0, when spec.workloadRef is replaced by spec.template, then legacy is scaled back to 3 (Restored) and the Release goes on with its own pods (Argo Rollouts #3855)")
  void removingTheReferenceRestores() {
    gitOpsApply(3, "example.com/legacy:v1");
    harness.apply(AdoptedDeployments.adopting(Releases.named("shop", ns).replicas(3).stage("full", 100, "1s"), "legacy"));
    awaitWorkloadRef("shop", "legacy scaled down", r -> r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown);
    Deployment legacy = awaitLegacy("held at 0", d -> d.getSpec().getReplicas() == 0);
    List<Deployment> owned = harness.deployments("shop");

    harness.edit("shop", r -> {
      r.getSpec().setTemplate(legacy.getSpec().getTemplate());
      r.getSpec().setWorkloadRef(null);
      return r;
    });

    awaitWorkloadRef("shop", "restored", r -> r.getStatus().getWorkloadRef().getPhase() == Phase.Restored);
    Deployment restored = apiServer.client().apps().deployments().inNamespace(ns).withName("legacy").get();
    assertThat(restored.getSpec().getReplicas()).isEqualTo(3);
    assertThat(restored.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(harness.eventReasons("shop")).contains("WorkloadRefRestored");
    assertThat(harness.deployments("shop")).extracting(d -> d.getMetadata().getName())
        .as("the same template: no new revision").containsExactlyElementsOf(owned.stream().map(d -> d.getMetadata().getName()).toList());
  }

  @Test
  @DisplayName("given examples/release-workloadref.yaml (its Deployment as written, its Release sped up), then checkout goes 4 -> 0 as the Release's 4 pods become ready; a new image in checkout's template then runs a canary to Promoted and checkout stays at 0")
  void theExampleAdoptsAndCanaries() {
    String doc = Examples.documents("release-workloadref.yaml").stream().filter(d -> d.contains("\nkind: Deployment\n"))
        .findFirst().orElseThrow();
    Deployment checkout = apiServer.client().getKubernetesSerialization().unmarshal(doc, Deployment.class);
    checkout.getMetadata().setNamespace(ns);
    apiServer.client().apps().deployments().inNamespace(ns).resource(checkout).fieldManager(GITOPS).serverSideApply();
    harness.apply(Examples.spedUp(Examples.release("release-workloadref.yaml"), ns));

    Release adopted = awaitWorkloadRef("checkout", "checkout scaled down",
        r -> r.getStatus().getWorkloadRef().getPhase() == Phase.ScaledDown);
    assertThat(adopted.getStatus().getWorkloadRef().getOriginalReplicas()).isEqualTo(4);
    assertThat(apiServer.client().apps().deployments().inNamespace(ns).withName("checkout").get().getSpec().getReplicas()).isZero();
    assertThat(harness.replicasByRevision("checkout")).containsValue(4);

    Deployment next = checkout.edit().editSpec().editTemplate().editSpec()
        .editFirstContainer().withImage("registry.example.com/shop/checkout:1.5.0").endContainer().endSpec()
        .endTemplate().endSpec().build();
    // An applier that does not force is told who holds spec.replicas (git says 4, the operator holds 0) ...
    assertThatThrownBy(() -> apiServer.client().apps().deployments().inNamespace(ns).resource(next).fieldManager(GITOPS)
        .serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409))
        .hasMessageContaining("conflict with \"stagegate-workloadref\": .spec.replicas");
    // ... and one that forces, as Argo CD's server-side apply does, gets its template through.
    apiServer.client().apps().deployments().inNamespace(ns).resource(next).fieldManager(GITOPS).forceConflicts().serverSideApply();
    String stable = adopted.getStatus().getStableRevision();
    Release promoted = harness.awaitStatus("checkout", "1.5.0 promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && !stable.equals(r.getStatus().getStableRevision()), WAIT);
    assertThat(harness.eventReasons("checkout")).contains("StageStarted", "Promoted");
    assertThat(promoted.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.ScaledDown);
    assertThat(apiServer.client().apps().deployments().inNamespace(ns).withName("checkout").get().getSpec().getReplicas()).isZero();
  }

  @Test
  @DisplayName("given both spec.template and spec.workloadRef, then the API server refuses the Release naming both fields")
  void exactlyOneOfTemplateAndWorkloadRef() {
    Release both = AdoptedDeployments.adopting(Releases.named("both", ns).replicas(1).stage("full", 100, "1s"), "legacy");
    both.getSpec().setTemplate(AdoptedDeployments.legacy(ns, "legacy", 1, "x").getSpec().getTemplate());
    assertThatThrownBy(() -> harness.apply(both))
        .hasMessageContaining("exactly one of spec.template and spec.workloadRef must be set");
  }
}
