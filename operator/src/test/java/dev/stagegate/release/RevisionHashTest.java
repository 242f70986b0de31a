package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RevisionHashTest {

  /**
   * The revision of {@link #goldenTemplate()}, pinned. Every Release's Deployments are named and
   * labelled by this hash: if an operator upgrade (new code, new Fabric8 model, new Jackson) changes
   * it, every Release in every cluster sees a "new" template and starts a canary of a revision it is
   * already running. Changing this literal is therefore a breaking change that needs a migration, not
   * a test update.
   */
  private static final String GOLDEN = "e82d81d511";

  @Test
  @DisplayName("given a known pod template, when it is hashed, then the revision is the pinned golden value")
  void golden() {
    assertThat(RevisionHash.of(goldenTemplate())).isEqualTo(GOLDEN);
  }

  @Test
  @DisplayName("given the golden template written as YAML by a user and read back by the client, when it is hashed, then the revision is still the golden value")
  void goldenThroughYaml() {
    String yaml = """
        metadata:
          annotations:
            team: payments
          labels:
            tier: frontend
            app: web
        spec:
          containers:
          - image: registry.example/web:1.4.2
            name: web
            ports:
            - containerPort: 8080
              name: http
            env:
            - name: MODE
              value: canary-safe
            resources:
              requests:
                memory: 128Mi
                cpu: 250m
            readinessProbe:
              httpGet:
                port: http
                path: /ready
          terminationGracePeriodSeconds: 20
        """;
    PodTemplateSpec parsed = new KubernetesSerialization().unmarshal(yaml, PodTemplateSpec.class);
    assertThat(RevisionHash.of(parsed)).isEqualTo(GOLDEN);
  }

  @Test
  @DisplayName("given the same labels and annotations inserted in another order, when hashed, then the revision is the same")
  void keyOrderDoesNotMatter() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("tier", "frontend");
    labels.put("app", "web");
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("b", "2");
    annotations.put("a", "1");
    Map<String, String> labelsReversed = new LinkedHashMap<>();
    labelsReversed.put("app", "web");
    labelsReversed.put("tier", "frontend");
    Map<String, String> annotationsReversed = new LinkedHashMap<>();
    annotationsReversed.put("a", "1");
    annotationsReversed.put("b", "2");

    assertThat(RevisionHash.of(withMeta(labels, annotations)))
        .isEqualTo(RevisionHash.of(withMeta(labelsReversed, annotationsReversed)));
  }

  @Test
  @DisplayName("given explicit nulls, empty maps and empty lists, when hashed, then the revision equals that of the template without them")
  void nullAndEmptyFieldsDoNotMatter() {
    PodTemplateSpec plain = ReleaseScenario.template("registry.example/web:1.0");
    PodTemplateSpec padded = new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", "web").withAnnotations(Map.of()).withName(null).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("web").withImage("registry.example/web:1.0")
        .withArgs(new ArrayList<>()).withEnv(List.of()).withNewResources().endResources().withCommand((List<String>) null)
        .endContainer()
        .withVolumes(List.of()).withNodeSelector(Map.of()).withServiceAccountName(null)
        .endSpec()
        .build();

    assertThat(RevisionHash.of(padded)).isEqualTo(RevisionHash.of(plain));
  }

  @Test
  @DisplayName("given a changed image, label or annotation, when hashed, then the revision differs")
  void realChangesChangeTheRevision() {
    String base = RevisionHash.of(ReleaseScenario.template("registry.example/web:1.0"));
    assertThat(RevisionHash.of(ReleaseScenario.template("registry.example/web:1.1"))).isNotEqualTo(base);
    assertThat(RevisionHash.of(withMeta(Map.of("app", "web", "x", "y"), null))).isNotEqualTo(base);
    PodTemplateSpec restarted = new PodTemplateSpecBuilder(ReleaseScenario.template("registry.example/web:1.0"))
        .editMetadata().addToAnnotations("kubectl.kubernetes.io/restartedAt", "2030-01-01T00:00:00Z").endMetadata()
        .build();
    assertThat(RevisionHash.of(restarted)).as("`kubectl rollout restart`-style annotation").isNotEqualTo(base);
  }

  @Test
  @DisplayName("given the order of containers changes, when hashed, then the revision differs (list order is meaningful)")
  void listOrderMatters() {
    PodTemplateSpec ab = new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("a").withImage("a:1").endContainer()
        .addNewContainer().withName("b").withImage("b:1").endContainer().endSpec().build();
    PodTemplateSpec ba = new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("b").withImage("b:1").endContainer()
        .addNewContainer().withName("a").withImage("a:1").endContainer().endSpec().build();
    assertThat(RevisionHash.of(ab)).isNotEqualTo(RevisionHash.of(ba));
  }

  @Test
  @DisplayName("given any template, when hashed, then the revision is 10 lower-case hex characters, usable in a Deployment name and label")
  void shape() {
    assertThat(RevisionHash.of(goldenTemplate())).matches("^[0-9a-f]{10}$");
    assertThat(RevisionHash.of(new PodTemplateSpec())).matches("^[0-9a-f]{10}$");
  }

  private static PodTemplateSpec withMeta(Map<String, String> labels, Map<String, String> annotations) {
    return new PodTemplateSpecBuilder(ReleaseScenario.template("registry.example/web:1.0"))
        .editMetadata().withLabels(labels).withAnnotations(annotations).endMetadata().build();
  }

  static PodTemplateSpec goldenTemplate() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", "web").addToLabels("tier", "frontend")
        .addToAnnotations("team", "payments")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("registry.example/web:1.4.2")
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .addNewEnv().withName("MODE").withValue("canary-safe").endEnv()
        .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("128Mi"))
        .endResources()
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
        .endReadinessProbe()
        .endContainer()
        .withTerminationGracePeriodSeconds(20L)
        .endSpec()
        .build();
  }

  @Test
  @DisplayName("given two Releases with identical templates, then their revisions differ: neither's pods count in the other's {{revision}} queries")
  void identicalTemplatesOfTwoReleasesGetDistinctRevisions() {
    var web = dev.stagegate.testing.Releases.named("web", "shop").image("1.0").build();
    var twin = dev.stagegate.testing.Releases.named("web-twin", "shop").image("1.0").build();
    twin.getSpec().setTemplate(web.getSpec().getTemplate());

    assertThat(RevisionHash.of(web)).isNotEqualTo(RevisionHash.of(twin)).matches("^[0-9a-f]{10}$");
    assertThat(RevisionHash.of(web)).isEqualTo(RevisionHash.named("web", web.getSpec().getTemplate()));
  }

  @Test
  @DisplayName("given a Release running a revision named by the older template-only hash (stable or a canary in progress), then its template keeps that name: the upgrade starts or restarts no canary; its next template gets the name-and-template hash")
  void revisionsFromBeforeTheUpgradeKeepTheirNames() {
    var web = dev.stagegate.testing.Releases.named("web", "shop").image("1.0").build();
    String legacy = RevisionHash.of(web.getSpec().getTemplate());
    var status = new dev.stagegate.api.release.ReleaseStatus();
    status.setStableRevision("0123456789");
    status.setCanaryRevision(legacy);
    web.setStatus(status);

    assertThat(RevisionHash.of(web)).as("the canary in progress keeps its revision").isEqualTo(legacy);
    assertThat(RevisionHash.names(web, legacy, web.getSpec().getTemplate())).as("its Deployment can be re-created").isTrue();

    web.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/web:2.0");
    assertThat(RevisionHash.of(web)).isEqualTo(RevisionHash.named("web", web.getSpec().getTemplate()));
  }
}
