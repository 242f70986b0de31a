package dev.stagegate.examples;

import dev.stagegate.api.release.ReleaseReasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.release.plan.ReleaseValidator;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Release examples applied to the mock API server and run by the real operator, as a user would. */
@EnableKubernetesMockClient(crud = true)
class ExamplesMockServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static KubernetesClient client;
  private static int run;
  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  private OperatorHarness start(ScriptedMetrics metrics) {
    harness = new OperatorHarness(client, "shop-" + (++run), OperatorSettings.forTests("http://prometheus.invalid:9090"),
        metrics).start();
    return harness;
  }

  @Test
  @DisplayName("given each examples/release*.yaml, then it parses into a Release the operator's own validation accepts and the mock server stores")
  void everyReleaseExampleIsValid() {
    assertThat(Examples.releaseFiles()).extracting(p -> p.getFileName().toString())
        .contains("release.yaml", "release-manual-approval.yaml", "release-gateway.yaml", "release-notify.yaml");
    OperatorHarness.installCrds(client);
    for (Path file : Examples.releaseFiles()) {
      Release release = Examples.release(file.getFileName().toString());
      assertThat(ReleaseValidator.validate(release)).as(file.toString()).isEmpty();
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
          .withName(release.getMetadata().getNamespace()).endMetadata().build()).createOr(n -> n.update());
      Release stored = client.resource(release).create();
      assertThat(stored.getSpec().getStages()).usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(release.getSpec().getStages());
      assertThat(stored.getSpec().getChecks()).hasSize(release.getSpec().getChecks().size());
      client.resource(stored).delete();
    }
  }

  @Test
  @DisplayName("given examples/release.yaml (sped up), when its image changes, then the canary goes through every stage with both checks passing and is promoted")
  void releaseExampleRollsOut() {
    OperatorHarness h = start(new ScriptedMetrics().otherwise(0.001));
    Release example = Examples.spedUp(Examples.release("release.yaml"), h.namespace());
    String image = example.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    h.apply(example);
    h.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);

    String v2 = RevisionHash.of(h.changeImage("checkout", image + "-next"));
    h.awaitStatus("checkout", r -> r.getStatus().getChecks() != null && r.getStatus().getChecks().stream()
        .filter(c -> c.getLastResult() == CheckResult.Pass).map(CheckStatus::getName).toList()
        .containsAll(List.of("error-rate", "latency-p99")), WAIT);
    h.awaitStatus("checkout", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);

    assertThat(h.awaitEvents("checkout", WAIT, "StageCompleted", "Promoted")).doesNotContain("RolledBack");
  }

  @Test
  @DisplayName("given examples/release-manual-approval.yaml (sped up), when the canary completes the manual stage, then it waits for `promote` and is promoted after it")
  void manualApprovalExampleWaitsForPromote() {
    OperatorHarness h = start(new ScriptedMetrics().otherwise(0.001));
    Release example = Examples.spedUp(Examples.release("release-manual-approval.yaml"), h.namespace());
    String image = example.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    h.apply(example);
    h.awaitPhase("payments", ReleasePhase.Promoted, WAIT);
    String v2 = RevisionHash.of(h.changeImage("payments", image + "-next"));

    Release waiting = h.awaitPhase("payments", ReleasePhase.Paused, WAIT);
    assertThat(waiting.getStatus().getPauseReason()).isEqualTo(ReleaseReasons.Pause.AwaitingApproval.name());
    assertThat(waiting.getStatus().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(waiting.getStatus().getStableRevision()).isNotEqualTo(v2);

    h.annotate("payments", "promote");
    h.awaitStatus("payments", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && v2.equals(r.getStatus().getStableRevision()), WAIT);
  }
}
