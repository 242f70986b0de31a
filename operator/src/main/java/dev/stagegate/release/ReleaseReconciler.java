package dev.stagegate.release;

import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.Note;
import dev.stagegate.kube.CommitPoint;
import dev.stagegate.kube.LeanItemStore;
import dev.stagegate.link.LinkInformer;
import dev.stagegate.kube.Refusals;
import dev.stagegate.kube.ResourcePrometheus;
import dev.stagegate.kube.SecretValues;
import dev.stagegate.kube.StatusWriter;
import dev.stagegate.metrics.ReleaseMetrics;
import dev.stagegate.notify.Notifier;
import dev.stagegate.notify.ReleaseTransitions;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.release.plan.WorkloadRefRules;
import dev.stagegate.templates.CheckTemplateSources;
import dev.stagegate.templates.TemplateLookup;
import dev.stagegate.templates.TemplatedRelease;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observes a Release's Deployments, due checks and HTTPRoute, asks {@link ReleasePlanner} what to do, commits
 * the decision as status through {@link CommitPoint}, and only then writes the route and scales Deployments.
 * Holds no state of its own: a restarted operator continues from the Release's status.
 */
@ControllerConfiguration(
  name = ReleaseReconciler.NAME,
  generationAwareEventProcessing = false
)
public class ReleaseReconciler implements Reconciler<Release>, CommitPoint.Steps<Release, ReleaseObserver.Seen, ReleasePlan> {
  public static final String NAME = "release";
  private static final Duration AFTER_REFUSAL = Duration.ofMillis(200L);
  private final ReleaseMetrics metrics;
  private final ReleasePlanner planner = new ReleasePlanner();
  private final ReleaseObserver observer;
  private final ReleaseWorkload workload;
  private final ReleaseRoute route;
  private final DeploymentDrift drift;
  private final WorkloadRefs workloadRefs;
  private final CommitPoint<Release, ReleaseStatus> commitPoint;
  private final Clock clock;
  private final Notifier notifier;
  private final Map<ResourceID, Refusal> refused = new ConcurrentHashMap<>();
  private final LinkInformer<DataMigration, Release> linked = LinkInformer.migrations();
  private volatile TemplateLookup templates = (kind, namespace, name) -> Optional.empty();

  public ReleaseReconciler(KubernetesClient client, Clock clock, MetricsSources metricsSources, ReleaseMetrics metrics,
      StatusWriter statusWriter, Notifier notifier, dev.stagegate.kube.OrderedWrites eventWrites) {
    this.metrics = metrics;
    this.clock = clock;
    this.notifier = notifier;
    this.route = new ReleaseRoute(client, clock);
    this.observer = new ReleaseObserver(new ResourcePrometheus(metricsSources, SecretValues.cached(client)), this.route);
    this.workload = new ReleaseWorkload(client);
    this.drift = new DeploymentDrift(client);
    this.workloadRefs = new WorkloadRefs(client);
    this.commitPoint = new CommitPoint<>(client, statusWriter, clock, Release::new, eventWrites);
  }

  /** Event reasons that report a workload change as done: withdrawn when the API server refused it. */
  private static final Set<String> DEPLOYED = Set.of(ReleaseReasons.Event.StableDeployed.name(),
      ReleaseReasons.Event.StageStarted.name());

  @Override
  public List<EventSource<?, Release>> prepareEventSources(EventSourceContext<Release> context) {
    InformerEventSourceConfiguration<Deployment> config = InformerEventSourceConfiguration.from(Deployment.class, Release.class)
      .withLabelSelector(ReleaseWorkload.RELEASE_LABEL)
      .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Release.class))
      .withItemStore(LeanItemStore.forSource(context))
      .build();
    // HTTPRoutes are watched from the first routed Release on (the Gateway API CRDs may be absent).
    RouteInformer.indexReleases(context);
    CheckTemplateSources templateSources = new CheckTemplateSources(context);
    this.templates = templateSources;
    List<EventSource<?, Release>> sources = new ArrayList<>();
    sources.add(new InformerEventSource<>(config, context));
    sources.add(this.linked.eventSource(DataMigration.class, context));
    sources.addAll(templateSources.sources());
    sources.add(this.route.servicesSource(context));
    sources.add(this.workloadRefs.eventSource(context));
    return sources;
  }

  @Override
  public UpdateControl<Release> reconcile(Release release, Context<Release> context) {
    return this.commitPoint.reconcile(release, context, this);
  }

  @Override
  public ErrorStatusUpdateControl<Release> updateErrorStatus(Release release, Context<Release> context, Exception e) {
    return this.commitPoint.failed(release, e);
  }

  @Override
  public CommitPoint.Decision<ReleaseObserver.Seen, ReleasePlan> decide(Release release, Context<Release> context, Instant now) {
    // Template checks are resolved here (the planner stays pure); the planner sees the resolved view.
    // spec.workloadRef lends the referenced Deployment's pod template as spec.template.
    TemplatedRelease templated = TemplatedRelease.of(this.workloadRefs.view(release), this.templates);
    Release view = templated.release();
    List<String> invalid = new ArrayList<>(templated.invalid());
    invalid.addAll(WorkloadRefRules.asWritten(release.getSpec()));
    ReleasePlanner.Turn turn = this.planner.turn(view, now, invalid).referencing(this.workloadRefs.observe(release));
    this.route.watch(release, context);
    ReleaseObserver.Seen seen = this.observer.observe(view, context.getSecondaryResources(Deployment.class), turn.dueChecks(), refusalOf(release));
    seen = seen.withTemplates(templated).withLinks(this.linked.viewsOf(release));
    ReleasePlan plan = turn.plan(seen.observation());
    this.notifier.plan(release, notify(release), ReleaseTransitions.between(release.getStatus(), plan.status()),
        plan.status(), now);
    return new CommitPoint.Decision<>(seen, plan);
  }

  @Override
  public Duration act(Release decided, CommitPoint.Decision<ReleaseObserver.Seen, ReleasePlan> decision, List<Note> notes, Duration requeue) {
    // Traffic first: a canary's weight is 0 in the route before the planner lets its pods go.
    this.route.write(decided, decision.plan().route());
    Duration next = requeue;
    try {
      Release acting = WorkloadRefs.lent(decided, decision.observation().view(decided));
      this.workload.apply(acting, decision.plan().changes(), decision.observation().deployments());
      notes.addAll(this.drift.repair(acting, decision.observation().deployments().values()));
    } catch (KubernetesClientException e) {
      String reason = Refusals.finalReason(e).orElseThrow(() -> e);
      this.refused.put(ResourceID.fromResource(decided), new Refusal(ReleaseObserver.generation(decided), reason));
      // The planner wrote its notes before the API server answered: nothing was deployed, so no Event may say so.
      notes.removeIf(n -> DEPLOYED.contains(n.reason()));
      next = AFTER_REFUSAL;
    }
    this.workloadRefs.apply(decided);
    return this.notifier.deliver(decided, notify(decided), decided.getStatus(), next, this.clock.instant());
  }

  private static List<NotifyTarget> notify(Release release) {
    return release.getSpec() == null ? List.of() : release.getSpec().getNotify();
  }

  @Override
  public void measure(Release release, CommitPoint.Decision<ReleaseObserver.Seen, ReleasePlan> decision, List<Note> notes) {
    this.metrics.record(decision.observation().view(release), decision.plan().status(),
        decision.observation().observation().outcomes(), notes);
  }

  /** Where a test may stop this instance dead; none in production. */
  public void crashPoints(dev.stagegate.kube.CrashPoints points) {
    this.commitPoint.crashPoints(points);
  }

  /** The Release is deleted: nothing about it is kept. */
  public void forget(ResourceID id) {
    this.refused.remove(id);
    this.route.forget(id);
    this.commitPoint.forget(id);
  }

  private String refusalOf(Release release) {
    Refusal refusal = this.refused.remove(ResourceID.fromResource(release));
    return refusal != null && refusal.generation() == ReleaseObserver.generation(release) ? refusal.message() : null;
  }

  private record Refusal(long generation, String message) {
  }
}
