package dev.stagegate.release;

import dev.stagegate.api.common.Durations;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.WorkloadRefStatus;
import dev.stagegate.common.Timestamps;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.stagegate.release.plan.WorkloadRefStep;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an adopted Deployment back before a Release goes: the finalizer {@value #FINALIZER} holds the Release (and so
 * its own Deployments, which the garbage collector removes only after it) until the referenced Deployment is at its
 * original replicas and they are ready, or until the Release's progressDeadline has passed since the deletion.
 *
 * <p>A controller of its own, filtered to Releases that adopt (or adopted) a Deployment, so only those carry the
 * finalizer: every other Release is deleted as before, with or without a running operator.
 */
@ControllerConfiguration(name = WorkloadRefCleanup.NAME, finalizerName = WorkloadRefCleanup.FINALIZER,
    informer = @Informer(genericFilter = WorkloadRefCleanup.Adopting.class))
public class WorkloadRefCleanup implements Reconciler<Release>, Cleaner<Release> {
  public static final String NAME = "release-workloadref";
  public static final String FINALIZER = "stagegate.dev/workloadref-restore";
  private static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Duration DEFAULT_BOUND = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRefCleanup.class);
  private final KubernetesClient client;
  private final WorkloadRefs workloadRefs;
  private final Clock clock;

  public WorkloadRefCleanup(KubernetesClient client, Clock clock) {
    this.client = client;
    this.workloadRefs = new WorkloadRefs(client);
    this.clock = clock;
  }

  /** Only Releases that adopt a Deployment, or still have one to restore or a finalizer to drop. */
  public static final class Adopting implements GenericFilter<Release> {
    @Override
    public boolean accept(Release release) {
      return (release.getSpec() != null && release.getSpec().getWorkloadRef() != null)
          || WorkloadRefs.referencedName(release).isPresent()
          || release.hasFinalizer(FINALIZER);
    }
  }

  @Override
  public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
    // Nothing to do while the Release lives (ReleaseReconciler scales); this controller exists for its finalizer.
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(Release release, Context<Release> context) {
    WorkloadRefStatus previous = release.getStatus() == null ? null : release.getStatus().getWorkloadRef();
    if (previous == null || previous.getName() == null) {
      return DeleteControl.defaultDelete();
    }
    String namespace = release.getMetadata().getNamespace();
    Deployment live = client.apps().deployments().inNamespace(namespace).withName(previous.getName()).get();
    WorkloadRefStep.Decision decision = WorkloadRefStep.restore(previous, WorkloadRefs.observe(live, previous.getName()));
    if (decision.write() != null) {
      workloadRefs.scale(namespace, previous.getName(), decision.write());
    }
    if (!Objects.equals(Serialization.asJson(previous), Serialization.asJson(decision.status()))) {
      client.resources(Release.class).inNamespace(namespace).withName(release.getMetadata().getName())
          .editStatus(r -> {
            r.getStatus().setWorkloadRef(decision.status());
            return r;
          });
    }
    if (decision.done()) {
      LOG.info("Deployment {}/{} restored to {} replicas: Release {} may go", namespace, previous.getName(),
          decision.status() == null ? null : decision.status().getOriginalReplicas(), release.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    Instant deleted = Timestamps.parse(release.getMetadata().getDeletionTimestamp());
    Duration bound = release.getSpec() == null ? DEFAULT_BOUND
        : Durations.parseOr(release.getSpec().getProgressDeadline(), DEFAULT_BOUND);
    if (deleted != null && !clock.instant().isBefore(deleted.plus(bound))) {
      LOG.warn("Deployment {}/{} is not back at {} ready replicas {} after Release {} was deleted: letting it go",
          namespace, previous.getName(), previous.getOriginalReplicas(), bound, release.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(RECHECK);
  }
}
