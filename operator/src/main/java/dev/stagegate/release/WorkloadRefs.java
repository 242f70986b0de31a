package dev.stagegate.release;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.WorkloadRefStatus;
import dev.stagegate.api.release.WorkloadRefStatus.Phase;
import dev.stagegate.common.Copies;
import dev.stagegate.kube.LeanItemStore;
import dev.stagegate.release.plan.ReferencedDeployment;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Deployments Releases adopt through spec.workloadRef: watched (a GitOps change to one wakes its Release), read
 * into a {@link ReferencedDeployment} for the planner, lent as the Release's template, and scaled by server-side apply
 * of spec.replicas alone under the field manager {@value #FIELD_MANAGER}, so no other field of the user's Deployment
 * is ever touched or owned.
 */
public final class WorkloadRefs {
  public static final String FIELD_MANAGER = "stagegate-workloadref";
  static final String NAME = "workloadrefs";
  /** Index of the Releases in the primary cache by the Deployment they reference ({@code namespace/name}). */
  static final String BY_DEPLOYMENT = "stagegate.dev/workloadref";
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRefs.class);
  private final KubernetesClient client;
  private volatile InformerEventSource<Deployment, Release> source;

  public WorkloadRefs(KubernetesClient client) {
    this.client = client;
  }

  /** The informer on referenced Deployments; call from prepareEventSources. */
  public InformerEventSource<Deployment, Release> eventSource(EventSourceContext<Release> context) {
    context.getPrimaryCache().addIndexer(BY_DEPLOYMENT, release -> referencedName(release)
        .map(name -> List.of(key(release.getMetadata().getNamespace(), name))).orElse(List.of()));
    InformerEventSourceConfiguration<Deployment> config = InformerEventSourceConfiguration.from(Deployment.class, Release.class)
        .withName(NAME)
        // Not the Deployments Releases own (the Release reconciler's informer has those): a cluster's worth less.
        .withLabelSelector("!" + ReleaseWorkload.RELEASE_LABEL)
        .withSecondaryToPrimaryMapper(d -> releasesReferencing(context, d))
        // Only this operator's own entry of managedFields is read (ownsReplicas).
        .withItemStore(LeanItemStore.forSource(context, FIELD_MANAGER))
        .build();
    this.source = new InformerEventSource<>(config, context);
    return this.source;
  }

  /** The Deployment spec.workloadRef names, or (once removed) the one status.workloadRef has yet to restore. */
  static Optional<String> referencedName(Release release) {
    if (release.getSpec() != null && release.getSpec().getWorkloadRef() != null) {
      return Optional.ofNullable(release.getSpec().getWorkloadRef().getName());
    }
    WorkloadRefStatus status = release.getStatus() == null ? null : release.getStatus().getWorkloadRef();
    return status != null && status.getPhase() != Phase.Restored ? Optional.ofNullable(status.getName()) : Optional.empty();
  }

  /** The referenced Deployment as the planner sees it, or null when the Release references none. */
  public ReferencedDeployment observe(Release release) {
    return referencedName(release).map(name -> observe(live(release.getMetadata().getNamespace(), name), name)).orElse(null);
  }

  static ReferencedDeployment observe(Deployment d, String name) {
    if (d == null) {
      return ReferencedDeployment.missing(name);
    }
    Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
    Integer ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
    return new ReferencedDeployment(name, true, replicas == null ? 1 : replicas, ready == null ? 0 : ready, ownsReplicas(d));
  }

  /**
   * The Release with the referenced Deployment's pod template as spec.template: every step after this one (revision
   * hash, validation, the owned Deployments) works as with a template written in the Release. Unchanged without
   * spec.workloadRef, and when the Deployment is missing (the planner then holds).
   */
  public Release view(Release release) {
    if (release.getSpec() == null || release.getSpec().getWorkloadRef() == null || release.getSpec().getTemplate() != null) {
      return release;
    }
    Deployment d = live(release.getMetadata().getNamespace(), release.getSpec().getWorkloadRef().getName());
    if (d == null || d.getSpec() == null || d.getSpec().getTemplate() == null) {
      return release;
    }
    Release view = Copies.deep(release, Release.class);
    view.getSpec().setTemplate(Copies.deep(d.getSpec().getTemplate(), PodTemplateSpec.class));
    return view;
  }

  /** The decided Release with the template this turn's view lent it (spec.workloadRef), to create Deployments from. */
  static Release lent(Release decided, Release view) {
    if (decided.getSpec() == null || decided.getSpec().getTemplate() != null || view.getSpec() == null
        || view.getSpec().getTemplate() == null) {
      return decided;
    }
    Release acting = Copies.deep(decided, Release.class);
    acting.getSpec().setTemplate(view.getSpec().getTemplate());
    return acting;
  }

  /**
   * Holds the referenced Deployment at the replicas the committed status decided, if they differ from the live ones.
   * Never for a Release being deleted: {@link WorkloadRefCleanup} restores it then.
   */
  public void apply(Release decided) {
    WorkloadRefStatus status = decided.getStatus() == null ? null : decided.getStatus().getWorkloadRef();
    if (decided.isMarkedForDeletion() || status == null || status.getScaledDownTo() == null
        || !Set.of(Phase.ScalingDown, Phase.ScaledDown, Phase.Restoring).contains(status.getPhase())) {
      return;
    }
    String namespace = decided.getMetadata().getNamespace();
    Deployment live = live(namespace, status.getName());
    if (live == null || live.getSpec() == null || status.getScaledDownTo().equals(live.getSpec().getReplicas())) {
      return;
    }
    scale(namespace, status.getName(), status.getScaledDownTo());
  }

  /** Server-side apply of spec.replicas alone, forcing only that field (the one the operator decides). */
  void scale(String namespace, String name, int replicas) {
    LOG.info("Scaling Deployment {}/{} (spec.workloadRef) to {} replicas", namespace, name, replicas);
    Deployment patch = new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec()
        .build();
    patch.setApiVersion("apps/v1");
    patch.setKind("Deployment");
    try {
      client.apps().deployments().inNamespace(namespace).resource(patch).fieldManager(FIELD_MANAGER).forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 415) {
        throw e;
      }
      // An API server without server-side apply (the Fabric8 mock server): the same field, by merge patch.
      client.apps().deployments().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    }
  }

  Deployment live(String namespace, String name) {
    InformerEventSource<Deployment, Release> running = this.source;
    if (running != null) {
      return running.get(new ResourceID(name, namespace)).orElse(null);
    }
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  /** Whether this operator's apply owns spec.replicas: otherwise someone else set the value it has now. */
  static boolean ownsReplicas(Deployment d) {
    List<ManagedFieldsEntry> entries = d.getMetadata().getManagedFields();
    if (entries == null) {
      return false;
    }
    for (ManagedFieldsEntry e : entries) {
      if (FIELD_MANAGER.equals(e.getManager()) && e.getFieldsV1() != null
          && e.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
          && spec.containsKey("f:replicas")) {
        return true;
      }
    }
    return false;
  }

  private static Set<ResourceID> releasesReferencing(EventSourceContext<Release> context, Deployment d) {
    return context.getPrimaryCache().byIndex(BY_DEPLOYMENT, key(d.getMetadata().getNamespace(), d.getMetadata().getName()))
        .stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
