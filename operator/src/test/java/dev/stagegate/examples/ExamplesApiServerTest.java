package dev.stagegate.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.templates.CheckTemplate;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.ClusterCheckTemplate;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.release.plan.ReleaseValidator;
import dev.stagegate.templates.TemplatedRelease;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Release examples applied to a real kube-apiserver, which enforces the CRD schema and its CEL rules. */
@Tag("apiserver")
class ExamplesApiServerTest {
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.withCrds();

  @Test
  @DisplayName("given each examples/release*.yaml as written, then the real API server accepts it and stores the spec unchanged")
  void everyReleaseExampleIsAccepted() {
    assertThat(Examples.releaseFiles()).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : Examples.releaseFiles()) {
      String namespace = "examples-" + file.getFileName().toString().replace(".yaml", "").replace('_', '-');
      Release release = Examples.release(file.getFileName().toString());
      release.getMetadata().setNamespace(namespace);
      apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(n -> n.update());
      Release stored = apiServer.client().resource(release).create();
      assertThat(stored.getMetadata().getUid()).as(file.toString()).isNotBlank();
      assertThat(stored.getSpec().getStages()).usingRecursiveFieldByFieldElementComparator()
          .as(file + ": stages as written (server defaults fill only what was left out)")
          .extracting("name", "weight").isEqualTo(release.getSpec().getStages().stream()
              .map(s -> org.assertj.core.groups.Tuple.tuple(s.getName(), s.getWeight())).toList());
      assertThat(stored.getSpec().getChecks()).extracting(ExamplesApiServerTest::query)
          .isEqualTo(release.getSpec().getChecks().stream().map(ExamplesApiServerTest::query).toList());
    }
  }

  /** The check's query as written, whatever its kind (a sequential latency check's bucket query). */
  private static String query(Check c) {
    return c.getPrometheus() != null ? c.getPrometheus().getQuery()
        : c.getSequential() != null ? c.getSequential().getErrors()
        : c.getSequentialLatency() != null ? c.getSequentialLatency().getBucket() : null;
  }

  @Test
  @DisplayName("given examples/release-hpa.yaml, then the real API server takes its Release and its autoscaling/v2 HPA, and the Release's /scale answers what the HPA targets")
  void hpaExampleTargetsTheRelease() {
    String namespace = "examples-hpa";
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    Release release = Examples.release("release-hpa.yaml");
    release.getMetadata().setNamespace(namespace);
    apiServer.client().resource(release).create();
    HorizontalPodAutoscaler hpa = Examples.documents("release-hpa.yaml").stream()
        .filter(d -> d.contains("\nkind: HorizontalPodAutoscaler\n")).findFirst()
        .map(d -> Serialization.unmarshal(d, HorizontalPodAutoscaler.class)).orElseThrow();
    hpa.getMetadata().setNamespace(namespace);

    HorizontalPodAutoscaler stored = apiServer.client().resource(hpa).create();

    CrossVersionObjectReference target = stored.getSpec().getScaleTargetRef();
    assertThat(target.getApiVersion()).isEqualTo(release.getApiVersion());
    assertThat(target.getKind()).isEqualTo("Release");
    assertThat(target.getName()).isEqualTo(release.getMetadata().getName());
    // What the HPA controller reads through the scale apiServer.client(): the Release's spec.replicas, within the HPA's bounds.
    Scale scale = apiServer.client().resources(Release.class).inNamespace(namespace).withName(target.getName()).scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(release.getSpec().getReplicas())
        .isBetween(stored.getSpec().getMinReplicas(), stored.getSpec().getMaxReplicas());
  }

  @Test
  @DisplayName("given examples/release-with-migration.yaml, then the real API server accepts both documents with their gates, and refuses a gate that sets both until.stage and until.phase")
  void linkedExampleIsAcceptedAndGateRulesHold() {
    String namespace = "examples-linked";
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    Release release = Examples.release("release-with-migration.yaml");
    DataMigration migration = Examples.migration("release-with-migration.yaml");
    release.getMetadata().setNamespace(namespace);
    migration.getMetadata().setNamespace(namespace);

    Release stored = apiServer.client().resource(release).create();
    DataMigration storedMigration = apiServer.client().resource(migration).create();
    assertThat(stored.getSpec().getGates()).extracting(g -> g.getStage() + " " + g.getUntil().describe() + " " + g.policy())
        .containsExactly("1 stage 0 done RollBackBoth", "2 phase Succeeded RollBackBoth");
    assertThat(storedMigration.getSpec().getGates()).extracting(g -> g.getRelease() + " " + g.getUntil().describe())
        .containsExactly("portal stage 0 done");

    release.getMetadata().setName("portal-both-until");
    release.getSpec().getGates().get(0).getUntil().setPhase("Succeeded");
    assertThatThrownBy(() -> apiServer.client().resource(release).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("set exactly one of until.stage and until.phase");
  }

  @Test
  @DisplayName("given examples/check-templates.yaml, then the real API server accepts its CheckTemplate and Release, and the Release resolves against it and the chart's ClusterCheckTemplates with no refusal")
  void checkTemplatesExampleIsAcceptedAndResolves() throws Exception {
    String namespace = "examples-check-templates";
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    String[] documents = Examples.text("check-templates.yaml").split("(?m)^---$");
    CheckTemplate template = Serialization.unmarshal(documents[0], CheckTemplate.class);
    Release release = Serialization.unmarshal(documents[1], Release.class);
    template.getMetadata().setNamespace(namespace);
    release.getMetadata().setNamespace(namespace);
    CheckTemplate storedTemplate = apiServer.client().resource(template).create();
    Release stored = apiServer.client().resource(release).create();
    assertThat(stored.getSpec().getChecks()).extracting(Check::getName)
        .containsExactly(null, null, "refunds-lag", "settlements-lag", "p99-latency");

    // The chart's ClusterCheckTemplates, read from its files (creating them here would clash with the chart's
    // own install test on this shared server).
    Map<String, CheckTemplateSpec> cluster = new HashMap<>();
    try (var files = Files.list(RepoPaths.root().resolve("helm/stagegate/check-templates"))) {
      for (Path file : files.toList()) {
        ClusterCheckTemplate t = Serialization.unmarshal(Files.readString(file), ClusterCheckTemplate.class);
        cluster.put(t.getMetadata().getName(), t.getSpec());
      }
    }
    TemplatedRelease resolved = TemplatedRelease.of(stored, (kind, ns, name) -> Optional.ofNullable(
        kind == TemplateKind.ClusterCheckTemplate ? cluster.get(name)
            : namespace.equals(ns) && name.equals("queue-lag") ? storedTemplate.getSpec() : null));
    assertThat(resolved.invalid()).isEmpty();
    assertThat(ReleaseValidator.validate(resolved.release())).isEmpty();
    assertThat(resolved.check("settlements-lag").getPrometheus().getQuery()).isEqualTo(
        "max(queue_consumer_lag_seconds{queue=\"settlements\",revision=\"{{revision}}\"}) > bool 120");
    assertThat(resolved.check("refunds-lag").getPrometheus().getQuery()).endsWith("> bool 30");

    CheckTemplate builtIn = Serialization.unmarshal(documents[0], CheckTemplate.class);
    builtIn.getMetadata().setNamespace(namespace);
    builtIn.getMetadata().setName("shadows-a-placeholder");
    builtIn.getSpec().getArgs().get(0).setName("revision");
    assertThatThrownBy(() -> apiServer.client().resource(builtIn).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.args[0].name").hasMessageContaining("collides with a built-in placeholder");
  }

  @Test
  @DisplayName("given the example with its stages out of order, then the same server refuses it: the acceptance above means something")
  void theServerValidatesWhatTheExamplesPass() {
    String namespace = "examples-broken";
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    Release release = Examples.release("release.yaml");
    release.getMetadata().setNamespace(namespace);
    java.util.Collections.reverse(release.getSpec().getStages());
    assertThatThrownBy(() -> apiServer.client().resource(release).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("stage weights must strictly increase");
  }

  @Test
  @DisplayName("given the gateway example without its trafficRouting, then the server refuses its header-only stage at weight 0, naming the rule")
  void weightZeroNeedsARoute() {
    String namespace = "examples-broken";
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    Release release = Examples.release("release-gateway.yaml");
    release.getMetadata().setNamespace(namespace);
    release.getMetadata().setName("no-route");
    assertThat(release.getSpec().getStages().get(0).getWeight()).isZero();
    release.getSpec().setTrafficRouting(null);
    assertThatThrownBy(() -> apiServer.client().resource(release).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.stages")
        .hasMessageContaining("weight 0 only with spec.trafficRouting and match.headers");
  }
}
