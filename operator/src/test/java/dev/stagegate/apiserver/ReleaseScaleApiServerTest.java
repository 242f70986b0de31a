package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Copies;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Release as the scaleTargetRef of a HorizontalPodAutoscaler, on the real kube-apiserver. No HPA controller runs
 * here, so the test does what it does: GET releases/NAME/scale, set spec.replicas and PUT the Scale back (with its
 * resourceVersion); `kubectl scale` (a merge PATCH of the same subresource) is the person's way. Both in the
 * middle of a canary stage and after an abort, the Deployments must follow.
 */
@Tag("apiserver")
class ReleaseScaleApiServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();
  private static int run;
  private final ScriptedMetrics metrics = new ScriptedMetrics().otherwise(0.001);
  private OperatorHarness harness;
  private Path kubectl;
  private Path kubeconfig;

  @BeforeEach
  void startOperator(@TempDir Path dir) throws Exception {
    kubectl = RealComponent.kubectl();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), RealApiServer.kubeconfig());
    harness = new OperatorHarness(apiServer.client(), "scale-" + (++run), ApiServerTier.settings(), metrics).start();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  @Test
  @DisplayName("given a Release with a canary counting at 50%, when its /scale is PUT as an HPA does and then `kubectl scale`d, then the Deployments follow at once with the stage and its evidence kept; after `abort` stable follows /scale by itself")
  void scaleSubresourceDrivesBothRevisions() throws Exception {
    harness.apply(Releases.named("web", "shop").replicas(4).stage("half", 50, "10m").stage("full", 100, "1s")
        .errorRateCheck("500ms", 2, 0.01).build());
    Release first = harness.awaitPhase("web", ReleasePhase.Promoted, WAIT);
    String stable = first.getStatus().getStableRevision();

    // What an HPA reads first: the Scale with the Release's pod selector.
    Scale scale = scaleOf("web").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(4);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(4);
    assertThat(scale.getStatus().getSelector()).isEqualTo("app=web,stagegate.dev/release=web");
    for (Deployment d : harness.deployments("web")) {
      assertThat(selects(scale.getStatus().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
          .as("the selector covers the pods of %s", d.getMetadata().getName()).isTrue();
    }

    String canary = RevisionHash.of(harness.changeImage("web", "example.com/web:v2"));
    Release counting = harness.awaitStatus("web", "canary counting at 50% with evidence", r -> canary.equals(r.getStatus().getCanaryRevision())
        && r.getStatus().getCurrentStage() != null && r.getStatus().getCurrentStage().getReadyAt() != null
        && !r.getStatus().getChecks().isEmpty() && r.getStatus().getChecks().get(0).getEvaluations() > 0, WAIT);
    StageStatus stage = Copies.deep(counting.getStatus().getCurrentStage(), StageStatus.class);
    int evidence = counting.getStatus().getChecks().get(0).getEvaluations();
    assertThat(harness.replicasByRevision("web")).isEqualTo(Map.of(stable, 4, canary, 4));

    // The HPA's write: GET, change spec.replicas, PUT the Scale back.
    Scale up = scaleOf("web").scale();
    up.getSpec().setReplicas(6);
    Scale written = scaleOf("web").scale(up);
    assertThat(written.getSpec().getReplicas()).isEqualTo(6);
    awaitReplicas(Map.of(stable, 6, canary, 6));
    Release scaledUp = harness.awaitStatus("web", "6 + 6 ready pods in /scale status",
        r -> r.getStatus().getReplicas() != null && r.getStatus().getReplicas() == 12, WAIT);
    assertThat(scaledUp.getStatus().getCurrentStage().getIndex()).isZero();
    assertThat(scaledUp.getStatus().getCurrentStage().getStartedAt()).isEqualTo(stage.getStartedAt());
    assertThat(scaledUp.getStatus().getCurrentStage().getReadyAt()).isEqualTo(stage.getReadyAt());
    assertThat(scaledUp.getStatus().getChecks().get(0).getEvaluations()).as("evidence kept").isGreaterThanOrEqualTo(evidence);
    assertThat(harness.eventReasons("web").stream().filter("StageStarted"::equals)).as("the stage did not restart").hasSize(1);

    // A person's scale: the real kubectl PATCHes the same subresource.
    assertThat(kubectl("scale", "-n", harness.namespace(), "release/web", "--replicas=8")).contains("scaled");
    awaitReplicas(Map.of(stable, 8, canary, 8));

    harness.annotate("web", "abort");
    harness.awaitPhase("web", ReleasePhase.RolledBack, WAIT);
    awaitReplicas(Map.of(stable, 8, canary, 0));

    // After the abort the stable revision follows /scale by itself: no action, no hand edit of a Deployment.
    Scale down = scaleOf("web").scale();
    down.getSpec().setReplicas(3);
    scaleOf("web").scale(down);
    awaitReplicas(Map.of(stable, 3, canary, 0));
    harness.awaitStatus("web", "3 ready pods in /scale status",
        r -> r.getStatus().getReplicas() != null && r.getStatus().getReplicas() == 3, WAIT);
    assertThat(harness.get("web").getStatus().getPhase()).isEqualTo(ReleasePhase.RolledBack);
    assertThat(kubectl("get", "-n", harness.namespace(), "release/web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("3");
  }

  @Test
  @DisplayName("given a Release, when /scale is PUT beyond spec.replicas' maximum, then the API server refuses it naming spec.replicas")
  void scaleIsValidatedLikeTheSpec() {
    harness.apply(Releases.named("capped", "shop").replicas(2).stage("half", 50, "1s").stage("full", 100, "1s").build());
    // As an HPA does: read the Scale, write it back, and read again on a conflict (the operator's status
    // writes move the resourceVersion), so the answer that counts is the validation's.
    assertThatThrownBy(() -> {
      for (int attempt = 1; ; attempt++) {
        Scale scale = scaleOf("capped").scale();
        scale.getSpec().setReplicas(1001);
        try {
          scaleOf("capped").scale(scale);
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt == 10) {
            throw e;
          }
        }
      }
    })
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.replicas");
    assertThat(harness.get("capped").getSpec().getReplicas()).isEqualTo(2);
  }

  private Resource<Release> scaleOf(String name) {
    return apiServer.client().resources(Release.class).inNamespace(harness.namespace()).withName(name);
  }

  private void awaitReplicas(Map<String, Integer> expected) {
    harness.awaitStatus("web", "Deployments at " + expected, r -> expected.equals(harness.replicasByRevision("web")), WAIT);
  }

  /** Whether labels satisfy an equality-only selector string such as "a=b,c=d" (all the operator writes). */
  private static boolean selects(String selector, Map<String, String> labels) {
    for (String requirement : selector.split(",")) {
      String[] kv = requirement.split("=", 2);
      if (labels == null || !kv[1].equals(labels.get(kv[0]))) {
        return false;
      }
    }
    return true;
  }

  private String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
