package dev.stagegate.release;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Note;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Notices hand edits of a Release's Deployments (pod template, or the release/revision labels) and puts them back.
 *
 * <p>The API server fills defaults into a pod template, so the live template never hashes like spec.template.
 * Instead the hash of the live template is recorded on the Deployment the first time it is seen after creation;
 * a later difference is an edit. The revision's original template is kept on the Deployment as JSON at creation
 * (the stable revision's template is no longer in spec.template during a canary), and trusted only when it
 * still hashes to the revision in the Deployment's name.
 */
public final class DeploymentDrift {
  /** The revision's template as the Release gave it, JSON, written when the Deployment is created. */
  public static final String TEMPLATE_ANNOTATION = "stagegate.dev/template";
  /** The hash of the live pod template (after the API server's defaults) when the operator last agreed with it. */
  public static final String LIVE_ANNOTATION = "stagegate.dev/live-template-hash";

  private final KubernetesClient client;

  public DeploymentDrift(KubernetesClient client) {
    this.client = client;
  }

  /** Repairs every drifted Deployment the Release controls; returns one Warning per repair. */
  public List<Note> repair(Release release, Collection<Deployment> deployments) {
    List<Note> notes = new ArrayList<>();
    for (Deployment d : deployments) {
      if (controlledBy(d, release)) {
        try {
          check(release, d).ifPresent(notes::add);
        } catch (KubernetesClientException e) {
          // Deleted or changed under us this turn: the next turn looks again.
          if (e.getCode() != 404 && e.getCode() != 409) {
            throw e;
          }
        }
      }
    }
    return notes;
  }

  private Optional<Note> check(Release release, Deployment d) {
    String name = release.getMetadata().getName();
    String prefix = name + "-";
    String deployment = d.getMetadata().getName();
    if (!deployment.startsWith(prefix)) {
      return Optional.empty();
    }
    // The name cannot be edited: it, not a label, says which revision this is.
    String revision = deployment.substring(prefix.length());
    Map<String, String> labels = d.getMetadata().getLabels() == null ? Map.of() : d.getMetadata().getLabels();
    boolean labelsDrift = !name.equals(labels.get(ReleaseWorkload.RELEASE_LABEL))
        || !revision.equals(labels.get(ReleaseWorkload.REVISION_LABEL));
    String live = RevisionHash.of(d.getSpec().getTemplate());
    String recorded = annotation(d, LIVE_ANNOTATION);
    boolean templateDrift = recorded != null && !recorded.equals(live);
    String ns = release.getMetadata().getNamespace();
    if (!labelsDrift && !templateDrift) {
      if (recorded == null) {
        // Created by an older version, or the creation's record was lost: agree with what runs now.
        recordLiveTemplate(client, d);
      }
      return Optional.empty();
    }
    Optional<PodTemplateSpec> original = original(release, d, revision);
    List<String> what = new ArrayList<>();
    if (labelsDrift) {
      what.add("labels");
    }
    if (templateDrift) {
      what.add("pod template");
    }
    client.apps().deployments().inNamespace(ns).withName(deployment).edit(x -> {
      Map<String, String> l = x.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(x.getMetadata().getLabels());
      l.put(ReleaseWorkload.RELEASE_LABEL, name);
      l.put(ReleaseWorkload.REVISION_LABEL, revision);
      x.getMetadata().setLabels(l);
      if (templateDrift && original.isPresent()) {
        x.getSpec().setTemplate(ReleaseWorkload.labelledTemplate(original.get(), name, revision));
        // Re-recorded from the live object on the next turn, after the API server's defaults.
        annotations(x).remove(LIVE_ANNOTATION);
      }
      return x;
    });
    String message = "Deployment " + deployment + " was edited by hand (" + String.join(" and ", what) + ")"
        + (templateDrift && original.isEmpty()
            ? "; labels put back, but revision " + revision + "'s original template is not known, so the pod template stays as edited"
            : "; put back to revision " + revision);
    return Optional.of(Note.warning(ReleaseReasons.Event.DriftRepaired, message));
  }

  /** Records the hash of the Deployment's live (defaulted) pod template, the one later edits are told from. */
  static void recordLiveTemplate(KubernetesClient client, Deployment d) {
    String live = RevisionHash.of(d.getSpec().getTemplate());
    // One merge patch of the annotation alone: an edit() is a GET and a patch, and this runs after every create.
    String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(LIVE_ANNOTATION, live))));
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private static Optional<PodTemplateSpec> original(Release release, Deployment d, String revision) {
    String json = annotation(d, TEMPLATE_ANNOTATION);
    if (json != null) {
      try {
        PodTemplateSpec stored = Serialization.unmarshal(json, PodTemplateSpec.class);
        if (RevisionHash.names(release, revision, stored)) {
          return Optional.of(stored);
        }
      } catch (RuntimeException e) {
        // An annotation edited into something else is not trusted; fall back to spec.template.
      }
    }
    PodTemplateSpec spec = release.getSpec().getTemplate();
    return RevisionHash.names(release, revision, spec) ? Optional.of(spec) : Optional.empty();
  }

  private static boolean controlledBy(Deployment d, Release release) {
    return d.getMetadata().getOwnerReferences() != null && d.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && Objects.equals(o.getUid(), release.getMetadata().getUid()));
  }

  private static String annotation(Deployment d, String key) {
    return d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(key);
  }

  private static Map<String, String> annotations(Deployment d) {
    if (d.getMetadata().getAnnotations() == null) {
      d.getMetadata().setAnnotations(new HashMap<>());
    }
    return d.getMetadata().getAnnotations();
  }
}
