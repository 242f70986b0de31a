package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Release scenarios on the Fabric8 mock server (CRUD mode): fast, but no SSA, schema or CEL. */
@EnableKubernetesMockClient(crud = true)
class ReleaseFlowMockServerTest extends ReleaseFlowScenarios {
  static KubernetesClient client;
  static KubernetesMockServer server;
  private OperatorHarness harness;

  @BeforeEach
  void startCluster() {
    // The mock server cannot do server-side apply: status is written with merge patches here.
    harness = new OperatorHarness(client, "shop", OperatorSettings.forTests("http://unused"), metrics).start();
  }

  @AfterEach
  void stopCluster() {
    harness.close();
    // The next test's operator must not find this one's Releases: expectations below count API calls.
    client.resources(Release.class).inNamespace("shop").delete();
    client.apps().deployments().inNamespace("shop").delete();
  }

  @Override
  protected OperatorHarness harness() {
    return harness;
  }

  @Test
  @DisplayName("given two Manual stages, when `promote` is applied but removing its annotation fails once, then only the first stage is promoted: the action is never applied twice")
  void aFailedAnnotationRemovalDoesNotReplayTheAction() {
    harness.apply(Releases.named("replay", "shop").manualStage("canary-10", 10, "200ms")
        .manualStage("canary-50", 50, "200ms").stage("full", 100, "200ms").build());
    harness.awaitPhase("replay", ReleasePhase.Promoted, WAIT);
    harness.changeImage("replay", "example.com/replay:v2");
    harness.awaitStatus("replay", r -> "AwaitingApproval".equals(r.getStatus().getPauseReason()), WAIT);
    // The operator removes the annotation with a JSON patch; the first one is refused (a 5xx would be retried
    // by the client itself), as a flaky admission webhook might.
    server.expect().patch().withPath("/apis/stagegate.dev/v1alpha1/namespaces/shop/releases/replay")
        .andReturn(403, "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":403,\"message\":\"admission webhook timed out\"}")
        .once();

    annotateWithPut("replay", "promote");

    Release next = harness.awaitStatus("replay", r -> "canary-50".equals(r.getStatus().getCurrentStage().getName())
        && "AwaitingApproval".equals(r.getStatus().getPauseReason())
        && (r.getMetadata().getAnnotations() == null || !r.getMetadata().getAnnotations().containsKey("stagegate.dev/action")),
        WAIT);
    sleep(Duration.ofSeconds(2));
    assertThat(harness.get("replay").getStatus().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(harness.eventReasons("replay").stream().filter("ActionApplied"::equals)).hasSize(1);
    assertThat(next.getStatus().getPhase()).isEqualTo(ReleasePhase.Paused);
  }

  @Test
  @DisplayName("given the API server refuses the canary's Deployment twice (RBAC being fixed), then one ReconcileFailed Warning names the refusal, the status is untouched, and the retries carry on to promotion")
  void failingReconcilesAreReportedOnceAndRetried() {
    harness.apply(Releases.named("refused", "shop").stage("canary-10", 10, "200ms").stage("full", 100, "200ms").build());
    harness.awaitPhase("refused", ReleasePhase.Promoted, WAIT);
    server.expect().post().withPath("/apis/apps/v1/namespaces/shop/deployments")
        .andReturn(403, "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":403,"
            + "\"message\":\"deployments.apps is forbidden: User cannot create resource\"}")
        .times(2);

    String v2 = revisionOf(harness.changeImage("refused", "example.com/refused:v2"));

    harness.awaitStatus("refused", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);
    List<String> reasons = harness.awaitEvents("refused", WAIT, "ReconcileFailed", "Promoted");
    assertThat(reasons.stream().filter("ReconcileFailed"::equals)).as("one Event for the series, not one per attempt")
        .hasSize(1);
    assertThat(client.v1().events().inNamespace("shop").list().getItems().stream()
        .filter(e -> "refused".equals(e.getInvolvedObject().getName()) && "ReconcileFailed".equals(e.getReason()))
        .findFirst().orElseThrow().getMessage())
        .contains("KubernetesClientException", "forbidden", "retrying");
    assertThat(client.v1().events().inNamespace("shop").list().getItems().stream()
        .filter(e -> "refused".equals(e.getInvolvedObject().getName()) && "StageStarted".equals(e.getReason()))
        .map(e -> e.getMessage()))
        .as("the decision whose Deployment was refused is still reported").anyMatch(m -> m.contains("stage canary-10"));
  }

  /** A person's kubectl annotate, sent as an update (PUT) so that the only PATCH is the operator's. */
  private void annotateWithPut(String name, String action) {
    for (int attempt = 1; ; attempt++) {
      Release r = harness.get(name);
      if (r.getMetadata().getAnnotations() == null) {
        r.getMetadata().setAnnotations(new HashMap<>());
      }
      r.getMetadata().getAnnotations().put("stagegate.dev/action", action);
      try {
        client.resources(Release.class).inNamespace("shop").resource(r).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }
}
