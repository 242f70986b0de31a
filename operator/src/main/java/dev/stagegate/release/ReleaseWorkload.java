package dev.stagegate.release;

import dev.stagegate.release.plan.DeploymentState;
import dev.stagegate.release.plan.WorkloadChange;
import dev.stagegate.api.release.Release;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * One Deployment per revision, owned by the Release, pods labelled with the revision so that the
 * user's Service (selecting the common labels) sends each revision its share of traffic.
 */
public final class ReleaseWorkload {
  public static final String RELEASE_LABEL = "stagegate.dev/release";
  public static final String REVISION_LABEL = "stagegate.dev/revision";

  private final KubernetesClient client;

  public ReleaseWorkload(KubernetesClient client) {
    this.client = client;
  }

  public static String deploymentName(String release, String revision) {
    return release + "-" + revision;
  }

  /** The revision a Deployment of ours belongs to, from its label. */
  public static Optional<String> revisionOf(Deployment deployment) {
    Map<String, String> labels = deployment.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(REVISION_LABEL));
  }

  public static DeploymentState observe(Deployment d) {
    int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
    int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    // Pods of an older generation of this Deployment are not evidence for the current one.
    if (d.getStatus() != null && d.getStatus().getObservedGeneration() != null
        && d.getMetadata().getGeneration() != null
        && d.getStatus().getObservedGeneration() < d.getMetadata().getGeneration()) {
      ready = Math.min(ready, replicas);
    }
    return new DeploymentState(revisionOf(d).orElse(""), d.getMetadata().getName(), replicas, Math.min(ready, replicas));
  }

  /** Applies the planner's workload changes in order: scale-ups before the scale-downs they allow. */
  public void apply(Release release, List<WorkloadChange> changes, Map<String, Deployment> byRevision) {
    for (WorkloadChange change : changes) {
      Optional<Deployment> existing = Optional.ofNullable(byRevision.get(change.revision()));
      if (change instanceof WorkloadChange.Scale scale) {
        scale(release, scale.revision(), scale.replicas(), existing);
      } else if (existing.isPresent()) {
        delete(release, existing.get());
      }
    }
  }

  /**
   * Creates the revision's Deployment from the Release's template, or patches only its replica count:
   * the pod template of an existing revision is never touched, so promotion restarts no pod.
   */
  public void scale(Release release, String revision, int replicas, Optional<Deployment> existing) {
    String ns = release.getMetadata().getNamespace();
    if (existing.isPresent()) {
      Integer current = existing.get().getSpec().getReplicas();
      if (current == null || current != replicas) {
        client.apps().deployments().inNamespace(ns).withName(existing.get().getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
      }
      return;
    }
    if (replicas == 0) {
      return;
    }
    if (!RevisionHash.names(release, revision, release.getSpec().getTemplate())) {
      throw new IllegalStateException("the Deployment of revision " + revision
          + " is gone and its template is no longer in spec.template; it cannot be recreated");
    }
    try {
      Deployment created = client.apps().deployments().inNamespace(ns).resource(build(release, revision, replicas)).create();
      // The answer carries the API server's defaults: from now on a different live template is a hand edit.
      DeploymentDrift.recordLiveTemplate(client, created);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  public void delete(Release release, Deployment deployment) {
    client.apps().deployments().inNamespace(release.getMetadata().getNamespace())
        .withName(deployment.getMetadata().getName()).delete();
  }

  /** The revision's pod template with the labels that tie its pods to the Release and the revision. */
  static PodTemplateSpec labelledTemplate(PodTemplateSpec original, String release, String revision) {
    return new PodTemplateSpecBuilder(original)
        .editOrNewMetadata()
          .addToLabels(REVISION_LABEL, revision)
          .addToLabels(RELEASE_LABEL, release)
        .endMetadata()
        .build();
  }

  static Deployment build(Release release, String revision, int replicas) {
    String name = release.getMetadata().getName();
    Map<String, String> selector = new HashMap<>(release.getSpec().getSelector().getMatchLabels());
    selector.put(REVISION_LABEL, revision);
    PodTemplateSpec template = labelledTemplate(release.getSpec().getTemplate(), name, revision);
    return new DeploymentBuilder()
        .withNewMetadata()
          .withName(deploymentName(name, revision))
          .withNamespace(release.getMetadata().getNamespace())
          .addToLabels(RELEASE_LABEL, name)
          .addToLabels(REVISION_LABEL, revision)
          // The revision's template as given, so that a hand edit can be put back even once spec.template moved on.
          .addToAnnotations(DeploymentDrift.TEMPLATE_ANNOTATION, Serialization.asJson(release.getSpec().getTemplate()))
          .withOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion(release.getApiVersion())
              .withKind(release.getKind())
              .withName(name)
              .withUid(release.getMetadata().getUid())
              .withController(true)
              .withBlockOwnerDeletion(true)
              .build())
        .endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withTemplate(template)
        .endSpec()
        .build();
  }
}
