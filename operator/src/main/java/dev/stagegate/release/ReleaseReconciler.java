package dev.stagegate.release;

import dev.stagegate.analysis.CheckEvaluator;
import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.QueryContext;
import dev.stagegate.api.Check;
import dev.stagegate.api.CheckStatus;
import dev.stagegate.api.PrometheusSource;
import dev.stagegate.api.Release;
import dev.stagegate.api.ReleasePhase;
import dev.stagegate.api.ReleaseStatus;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import dev.stagegate.kube.EventRecorder;
import dev.stagegate.kube.ReconcileFailures;
import dev.stagegate.kube.SecretValues;
import dev.stagegate.kube.StatusWriter;
import dev.stagegate.metrics.ReleaseMetrics;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes a Release's Deployments and due checks, asks {@link ReleasePlanner} what to do, and does it.
 * Holds no state of its own: a restarted operator continues from the Release's status.
 */
@ControllerConfiguration(name = ReleaseReconciler.NAME, generationAwareEventProcessing = false)
public class ReleaseReconciler implements Reconciler<Release> {
  public static final String NAME = "release";
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseReconciler.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final MetricsSources metricsSources;
  private final ReleaseMetrics metrics;
  private final ReleasePlanner planner = new ReleasePlanner();
  private final ReleaseWorkload workload;
  private final EventRecorder events;
  private final ReconcileFailures failures;
  private final SecretValues secrets;
  private final StatusWriter statusWriter;

  public ReleaseReconciler(KubernetesClient client, Clock clock, MetricsSources metricsSources, ReleaseMetrics metrics,
      StatusWriter statusWriter) {
    this.client = client;
    this.clock = clock;
    this.metricsSources = metricsSources;
    this.metrics = metrics;
    this.workload = new ReleaseWorkload(client);
    this.events = new EventRecorder(client, clock);
    this.failures = new ReconcileFailures(events);
    this.secrets = new SecretValues(client);
    this.statusWriter = statusWriter;
  }

  @Override
  public List<EventSource<?, Release>> prepareEventSources(EventSourceContext<Release> context) {
    var config = InformerEventSourceConfiguration.from(Deployment.class, Release.class)
        .withLabelSelector(ReleaseWorkload.RELEASE_LABEL)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Release.class))
        .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  @Override
  public ErrorStatusUpdateControl<Release> updateErrorStatus(Release release, Context<Release> context, Exception e) {
    return failures.report(release, e);
  }

  @Override
  public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
    UpdateControl<Release> control = turn(release, context);
    failures.succeeded(release);
    return control;
  }

  private UpdateControl<Release> turn(Release release, Context<Release> context) {
    if (RefusedTemplateHold.holds(release)) {
      return UpdateControl.noUpdate(); // nothing to retry until the spec changes, and that wakes us
    }
    Instant now = clock.instant();
    Map<String, Deployment> byRevision = new HashMap<>();
    for (Deployment d : context.getSecondaryResources(Deployment.class)) {
      ReleaseWorkload.revisionOf(d).ifPresent(rev -> byRevision.put(rev, d));
    }
    Map<String, DeploymentState> deployments = new HashMap<>();
    byRevision.forEach((rev, d) -> deployments.put(rev, ReleaseWorkload.observe(d)));

    String template = release.getSpec() == null || release.getSpec().getTemplate() == null
        ? "" : RevisionHash.of(release.getSpec().getTemplate());
    Map<String, CheckOutcome> outcomes = evaluate(release, planner.dueChecks(release, now));
    String action = release.getMetadata().getAnnotations() == null ? null
        : release.getMetadata().getAnnotations().get(UserAction.ANNOTATION);
    ReleaseObservation observation = new ReleaseObservation(
        release.getMetadata().getGeneration() == null ? 0 : release.getMetadata().getGeneration(),
        template, deployments, action, outcomes);

    ReleasePlan plan = planner.plan(release, observation, now);
    ReleaseStatus status = plan.status();
    boolean changed = !Objects.equals(json(status), json(release.getStatus()));
    // The status is the commit point: act only once the decision is stored, so a stale cache never repeats one.
    if (changed && !statusWriter.write(release, withStatus(release, status), Release::new)) {
      LOG.debug("status changed since it was read; planning again with the newer version");
      return UpdateControl.<Release>noUpdate().rescheduleAfter(java.time.Duration.ofMillis(200));
    }
    if (plan.actionConsumed()) {
      removeAction(release, action);
    }
    List<Note> notes = new java.util.ArrayList<>(plan.notes());
    try {
      apply(release, plan, byRevision);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != 400) {
        throw e;
      }
      ReleaseStatus refused = refused(status, e, observation.generation(), now);
      notes.add(Note.warning("InvalidSpec", refused.getMessage()));
      Release fresh = client.resource(release).get();
      if (fresh != null) {
        statusWriter.write(fresh, withStatus(fresh, refused), Release::new);
      }
    } finally {
      // The decision is stored: its Events and metrics are due even when a change to the Deployments failed
      // (the retry applies the changes again, but plans nothing new to report).
      for (Note note : notes) {
        events.record(release, note);
      }
      metrics.record(release, status, outcomes, notes);
    }
    return UpdateControl.<Release>noUpdate().rescheduleAfter(plan.requeueAfter());
  }

  private static Release withStatus(Release release, ReleaseStatus status) {
    Release copy = new Release();
    copy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(release.getMetadata()).build());
    copy.setSpec(release.getSpec());
    copy.setStatus(status);
    return copy;
  }

  private Map<String, CheckOutcome> evaluate(Release release, List<Check> due) {
    Map<String, CheckOutcome> outcomes = new LinkedHashMap<>();
    if (due.isEmpty()) {
      return outcomes;
    }
    ReleaseStatus status = release.getStatus();
    QueryContext context = new QueryContext(release.getMetadata().getName(), release.getMetadata().getNamespace(),
        status.getCanaryRevision(), status.getStableRevision());
    Optional<MetricsSource> source = metricsSource(release, outcomes, due);
    if (source.isEmpty()) {
      return outcomes;
    }
    CheckEvaluator evaluator = new CheckEvaluator(source.get());
    for (Check check : due) {
      CheckStatus previous = ReleasePlanner.find(status.getChecks(), check.getName());
      CheckOutcome outcome = evaluator.evaluate(check, context, previous == null ? null : previous.getSequential());
      LOG.debug("check {}: {} {} ({})", check.getName(), outcome.result(), outcome.value(), outcome.message());
      outcomes.put(check.getName(), outcome);
    }
    return outcomes;
  }

  /** The Release's Prometheus, with credentials from its Secret; a missing Secret makes every due check an Error. */
  private Optional<MetricsSource> metricsSource(Release release, Map<String, CheckOutcome> outcomes, List<Check> due) {
    PrometheusSource prometheus = release.getSpec().getPrometheus();
    String url = prometheus == null ? null : prometheus.getUrl();
    Optional<Map<String, String>> secret = Optional.empty();
    if (prometheus != null && prometheus.getSecretRef() != null) {
      String name = prometheus.getSecretRef().getName();
      secret = secrets.read(release.getMetadata().getNamespace(), name);
      if (secret.isEmpty()) {
        due.forEach(c -> outcomes.put(c.getName(),
            CheckOutcome.error("Secret " + name + " (spec.prometheus.secretRef) not found")));
        return Optional.empty();
      }
    }
    return Optional.of(metricsSources.forTarget(url, secret));
  }

  private void apply(Release release, ReleasePlan plan, Map<String, Deployment> byRevision) {
    for (WorkloadChange change : plan.changes()) {
      Optional<Deployment> existing = Optional.ofNullable(byRevision.get(change.revision()));
      if (change instanceof WorkloadChange.Scale scale) {
        workload.scale(release, scale.revision(), scale.replicas(), existing);
      } else if (existing.isPresent()) {
        workload.delete(release, existing.get());
      }
    }
  }

  /** The API server refused the Deployment built from spec.template: that is an invalid spec too. */
  private static ReleaseStatus refused(ReleaseStatus status, KubernetesClientException e, long generation, Instant now) {
    String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    String message = RefusedTemplateHold.MESSAGE_PREFIX + reason;
    status.setPhase(ReleasePhase.Failed);
    status.setMessage(message);
    status.setConditions(Conditions.kstatus(status.getConditions(), false, false, true, "InvalidSpec", message,
        generation, now));
    return status;
  }

  /** Removes the annotation only if it still holds what we applied, so a newer action is never lost. */
  private void removeAction(Release release, String value) {
    if (value == null) {
      return;
    }
    String path = "/metadata/annotations/" + UserAction.ANNOTATION.replace("~", "~0").replace("/", "~1");
    String patch = "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":" + quote(value) + "},"
        + "{\"op\":\"remove\",\"path\":\"" + path + "\"}]";
    try {
      client.resources(Release.class).inNamespace(release.getMetadata().getNamespace())
          .withName(release.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      LOG.warn("could not remove the {} annotation: {}", UserAction.ANNOTATION, e.getMessage());
    }
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String json(ReleaseStatus status) {
    return status == null ? "null" : io.fabric8.kubernetes.client.utils.Serialization.asJson(status);
  }
}
