package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.kube.StatusWriter;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitOps tool (here: the real kubectl 1.33 with `apply --server-side` and its own field manager,
 * as Argo CD and Flux do) owns the spec; the operator owns only the status and removes only its
 * own action annotation. Neither ever conflicts with the other.
 */
@Tag("apiserver")
class GitOpsApplyTest {
  private static final String NS = "gitops";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MANAGER = "argocd-controller";

  @TempDir
  Path dir;
  private KubernetesClient client;
  private OperatorHarness harness;
  private Path kubeconfig;
  private Path kubectl;

  @BeforeEach
  void start() throws IOException {
    kubectl = RealComponent.kubectl();
    client = RealApiServer.client();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), RealApiServer.kubeconfig());
    harness = new OperatorHarness(client, NS, OperatorSettings.forTests("http://unused").withServerSideApply(true),
        new ScriptedMetrics().otherwise(0.0)).start();
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private static String manifest(String image) {
    return """
        apiVersion: stagegate.dev/v1alpha1
        kind: Release
        metadata:
          name: shop
          namespace: gitops
        spec:
          replicas: 4
          selector:
            matchLabels: {app: shop}
          template:
            metadata:
              labels: {app: shop}
            spec:
              containers:
                - name: app
                  image: %s
          stages:
            - {name: canary-25, weight: 25, duration: 1s}
            - {name: full, weight: 100, duration: 1s}
          checks:
            - name: error-rate
              interval: 500ms
              prometheus:
                query: sum(rate(http_requests_total{revision="{{revision}}",code=~"5.."}[1m]))
              max: 0.01
        """.formatted(image);
  }

  private String kubectl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  private String applyAsGitOps(String image) throws Exception {
    Path file = Files.writeString(dir.resolve("release.yaml"), manifest(image));
    return kubectl("apply", "--server-side", "--field-manager=" + MANAGER, "-f", file.toString());
  }

  @Test
  @DisplayName("given a Release applied server-side by a GitOps tool, when the operator rolls it out and a new revision is applied, then no apply conflicts and each manager owns only its part")
  void gitOpsAndOperatorNeverConflict() throws Exception {
    assertThat(applyAsGitOps("example.com/shop:v1")).contains("serverside-applied");
    harness.awaitPhase("shop", ReleasePhase.Promoted, WAIT);

    // A person asks for a pause through the annotation; the operator applies it and removes it.
    assertThat(applyAsGitOps("example.com/shop:v2")).contains("serverside-applied");
    harness.awaitStatus("shop", r -> r.getStatus().getCanaryRevision() != null, WAIT);
    kubectl("annotate", "-n", NS, "release/shop", "stagegate.dev/action=pause");
    harness.awaitStatus("shop", r -> r.getStatus().getPhase() == ReleasePhase.Paused
        && (r.getMetadata().getAnnotations() == null
            || !r.getMetadata().getAnnotations().containsKey("stagegate.dev/action")), WAIT);
    kubectl("annotate", "-n", NS, "release/shop", "stagegate.dev/action=resume");

    // The GitOps tool re-applies the same manifest (a sync) while the operator writes status: no conflict.
    assertThat(applyAsGitOps("example.com/shop:v2")).contains("serverside-applied");
    Release promoted = harness.awaitStatus("shop", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && r.getStatus().getCanaryRevision() == null && r.getStatus().getLastAction() != null, WAIT);
    assertThat(promoted.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("example.com/shop:v2");

    List<ManagedFieldsEntry> operatorEntries = promoted.getMetadata().getManagedFields().stream()
        .filter(m -> StatusWriter.FIELD_MANAGER.equals(m.getManager())).toList();
    assertThat(operatorEntries).as("the operator manages fields").isNotEmpty()
        .allSatisfy(m -> assertThat(m.getSubresource()).as("the operator owns only status").isEqualTo("status"));
    assertThat(promoted.getMetadata().getManagedFields()).anySatisfy(m -> {
      assertThat(m.getManager()).isEqualTo(MANAGER);
      assertThat(m.getOperation()).isEqualTo("Apply");
      assertThat(m.getFieldsV1().getAdditionalProperties().toString()).contains("f:spec");
    });
  }
}
