package dev.stagegate.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.api.release.Release;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Release examples applied to a real kube-apiserver, which enforces the CRD schema and its CEL rules. */
@Tag("apiserver")
class ExamplesApiServerTest {
  private static KubernetesClient client;

  @BeforeAll
  static void installCrds() {
    client = RealApiServer.client();
    OperatorHarness.installCrds(client);
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  @DisplayName("given each examples/release*.yaml as written, then the real API server accepts it and stores the spec unchanged")
  void everyReleaseExampleIsAccepted() {
    assertThat(Examples.releaseFiles()).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : Examples.releaseFiles()) {
      String namespace = "examples-" + file.getFileName().toString().replace(".yaml", "").replace('_', '-');
      Release release = Examples.release(file.getFileName().toString());
      release.getMetadata().setNamespace(namespace);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(n -> n.update());
      Release stored = client.resource(release).create();
      assertThat(stored.getMetadata().getUid()).as(file.toString()).isNotBlank();
      assertThat(stored.getSpec().getStages()).usingRecursiveFieldByFieldElementComparator()
          .as(file + ": stages as written (server defaults fill only what was left out)")
          .extracting("name", "weight").isEqualTo(release.getSpec().getStages().stream()
              .map(s -> org.assertj.core.groups.Tuple.tuple(s.getName(), s.getWeight())).toList());
      assertThat(stored.getSpec().getChecks()).extracting(c -> c.getPrometheus().getQuery())
          .isEqualTo(release.getSpec().getChecks().stream().map(c -> c.getPrometheus().getQuery()).toList());
    }
  }

  @Test
  @DisplayName("given the example with its stages out of order, then the same server refuses it: the acceptance above means something")
  void theServerValidatesWhatTheExamplesPass() {
    String namespace = "examples-broken";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    Release release = Examples.release("release.yaml");
    release.getMetadata().setNamespace(namespace);
    java.util.Collections.reverse(release.getSpec().getStages());
    assertThatThrownBy(() -> client.resource(release).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("stage weights must strictly increase");
  }

  @Test
  @DisplayName("given the gateway example without its trafficRouting, then the server refuses its header-only stage at weight 0, naming the rule")
  void weightZeroNeedsARoute() {
    String namespace = "examples-broken";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    Release release = Examples.release("release-gateway.yaml");
    release.getMetadata().setNamespace(namespace);
    release.getMetadata().setName("no-route");
    assertThat(release.getSpec().getStages().get(0).getWeight()).isZero();
    release.getSpec().setTrafficRouting(null);
    assertThatThrownBy(() -> client.resource(release).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.stages")
        .hasMessageContaining("weight 0 only with spec.trafficRouting and match.headers");
  }
}
