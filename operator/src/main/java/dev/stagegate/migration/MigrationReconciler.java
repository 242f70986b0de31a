package dev.stagegate.migration;

import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.release.Release;
import dev.stagegate.common.Note;
import dev.stagegate.kube.ActionAnnotation;
import dev.stagegate.kube.CommitPoint;
import dev.stagegate.kube.LeanItemStore;
import dev.stagegate.link.LinkInformer;
import dev.stagegate.kube.Refusals;
import dev.stagegate.kube.ResourcePrometheus;
import dev.stagegate.kube.SecretValues;
import dev.stagegate.kube.StatusWriter;
import dev.stagegate.metrics.MigrationMetrics;
import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.MigrationObservation;
import dev.stagegate.migration.plan.MigrationPlan;
import dev.stagegate.migration.plan.MigrationPlanner;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.notify.MigrationTransitions;
import dev.stagegate.notify.Notifier;
import dev.stagegate.templates.MigrationTemplateSources;
import dev.stagegate.templates.TemplateLookup;
import dev.stagegate.templates.TemplatedMigration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Observes a DataMigration's Jobs and finished database work, asks {@link MigrationPlanner} what to do,
 * commits the decision as status through {@link CommitPoint}, and only then creates or deletes Jobs and
 * records Events. Database work runs on {@link DatabaseWork}'s threads, never on the reconcile thread.
 * Holds no state that matters: a restarted operator continues from the status and asks for the work again.
 */
@ControllerConfiguration(
  name = MigrationReconciler.NAME,
  generationAwareEventProcessing = false
)
public class MigrationReconciler implements Reconciler<DataMigration>, CommitPoint.Steps<DataMigration, MigrationReconciler.Seen, MigrationPlan>, AutoCloseable {
  public static final String NAME = "datamigration";
  private static final Duration AFTER_REFUSAL = Duration.ofMillis(200L);
  private final MigrationMetrics metrics;
  private final MigrationPlanner planner;
  private final MigrationJobs jobs;
  private final DatabaseWork work;
  private final CommitPoint<DataMigration, DataMigrationStatus> commitPoint;
  private final Clock clock;
  private final Notifier notifier;
  private final LinkInformer<Release, DataMigration> linked = LinkInformer.releases();
  private final SimpleInboundEventSource<DataMigration> wakeUps = new SimpleInboundEventSource<>("migration-work");
  private volatile TemplateLookup templates = (kind, namespace, name) -> Optional.empty();

  public MigrationReconciler(KubernetesClient client, Clock clock, MetricsSources metricsSources, MigrationMetrics metrics, StatusWriter statusWriter, Notifier notifier,
      dev.stagegate.kube.OrderedWrites eventWrites) {
    this(client, clock, metricsSources, metrics, statusWriter, new MigrationPlanner(), notifier, eventWrites);
  }

  public MigrationReconciler(
    KubernetesClient client, Clock clock, MetricsSources metricsSources, MigrationMetrics metrics, StatusWriter statusWriter, MigrationPlanner planner,
    Notifier notifier, dev.stagegate.kube.OrderedWrites eventWrites
  ) {
    this.metrics = metrics;
    this.clock = clock;
    this.notifier = notifier;
    this.planner = planner;
    this.jobs = new MigrationJobs(client);
    SecretValues secrets = SecretValues.cached(client);
    this.work = new DatabaseWork(clock, secrets, new ResourcePrometheus(metricsSources, secrets));
    this.commitPoint = new CommitPoint<>(client, statusWriter, clock, DataMigration::new, eventWrites);
    this.work.onDone(id -> {
      if (this.wakeUps.isRunning()) {
        this.wakeUps.propagateEvent(id);
      }
    });
  }

  @Override
  public List<EventSource<?, DataMigration>> prepareEventSources(EventSourceContext<DataMigration> context) {
    InformerEventSourceConfiguration<Job> config = InformerEventSourceConfiguration.from(Job.class, DataMigration.class)
      .withLabelSelector(MigrationJobs.MIGRATION_LABEL)
      .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DataMigration.class))
      .withItemStore(LeanItemStore.forSource(context))
      .build();
    MigrationTemplateSources templateSources = new MigrationTemplateSources(context);
    this.templates = templateSources;
    List<EventSource<?, DataMigration>> sources = new ArrayList<>(List.of(new InformerEventSource<>(config, context),
        this.wakeUps, this.linked.eventSource(Release.class, context)));
    sources.addAll(templateSources.sources());
    return sources;
  }

  @Override
  public UpdateControl<DataMigration> reconcile(DataMigration migration, Context<DataMigration> context) {
    return this.commitPoint.reconcile(migration, context, this);
  }

  @Override
  public ErrorStatusUpdateControl<DataMigration> updateErrorStatus(DataMigration migration, Context<DataMigration> context, Exception e) {
    return this.commitPoint.failed(migration, e);
  }

  @Override
  public CommitPoint.Decision<Seen, MigrationPlan> decide(DataMigration migration, Context<DataMigration> context, Instant now) {
    Map<String, ObservedJob> observedJobs = this.jobs.observe(migration, context.getSecondaryResources(Job.class));
    // Template verify checks are resolved here (the planner stays pure); the planner and the work see the view.
    TemplatedMigration templated = TemplatedMigration.of(migration, this.templates);
    MigrationPlanner.Turn turn = this.planner.turn(templated, now);
    DatabaseWork.Results results = this.work.collect(templated.migration(), turn.due());
    long generation = migration.getMetadata().getGeneration() == null ? 0L : migration.getMetadata().getGeneration();
    MigrationObservation observation = new MigrationObservation(
      generation, ActionAnnotation.of(migration), observedJobs, results.preflight(), results.verify(), results.rollback()
    ).withLinks(this.linked.viewsOf(migration));
    MigrationPlan plan = turn.plan(observation);
    this.notifier.plan(migration, notify(migration), MigrationTransitions.between(migration.getStatus(), plan.status()),
      plan.status(), now);
    return new CommitPoint.Decision<>(new Seen(observation, results.evaluations(), templated.migration()), plan);
  }

  @Override
  public Duration act(DataMigration decided, CommitPoint.Decision<Seen, MigrationPlan> decision, List<Note> notes, Duration requeue) {
    for (JobChange change : decision.plan().jobs()) {
      try {
        if (change instanceof JobChange.Create create) {
          this.jobs.create(decided, create);
        } else {
          this.jobs.delete(decided, change.name());
        }
      } catch (KubernetesClientException e) {
        String reason = Refusals.finalReason(e).orElseThrow(() -> e);
        this.jobs.refused(decided, change.name(), "the API server refused the Job: " + reason);
        notes.add(Note.warning(MigrationReasons.Event.JobRefused, "Job " + change.name() + ": the API server refused it: " + reason));
        requeue = AFTER_REFUSAL;
      }
    }

    return this.notifier.deliver(decided, notify(decided), decided.getStatus(), requeue, this.clock.instant());
  }

  private static List<NotifyTarget> notify(DataMigration migration) {
    return migration.getSpec() == null ? List.of() : migration.getSpec().getNotify();
  }

  @Override
  public void measure(DataMigration migration, CommitPoint.Decision<Seen, MigrationPlan> decision, List<Note> notes) {
    this.metrics.record(decision.observation().view(), decision.plan().status(), decision.observation().evaluations());
  }

  /** Where a test may stop this instance dead; none in production. */
  public void crashPoints(dev.stagegate.kube.CrashPoints points) {
    this.commitPoint.crashPoints(points);
  }

  /** The DataMigration is deleted: its refusals, finished work and reported errors are dropped. */
  public void forget(ResourceID id) {
    this.jobs.forget(id);
    this.work.forget(id);
    this.commitPoint.forget(id);
  }

  @Override
  public void close() {
    this.work.close();
  }

  /** @param view the DataMigration with its template verify checks resolved */
  record Seen(MigrationObservation observation, List<MigrationMetrics.Evaluation> evaluations, DataMigration view) {
  }
}
