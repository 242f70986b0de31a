package dev.stagegate.migration;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.DataMigration;
import dev.stagegate.api.DataMigrationStatus;
import dev.stagegate.api.JobRun;
import dev.stagegate.api.JobState;
import dev.stagegate.api.PrometheusSource;
import dev.stagegate.api.StageProgress;
import dev.stagegate.api.VerifyCheck;
import dev.stagegate.common.Note;
import dev.stagegate.kube.EventRecorder;
import dev.stagegate.kube.ReconcileFailures;
import dev.stagegate.kube.SecretValues;
import dev.stagegate.kube.StatusWriter;
import dev.stagegate.metrics.MigrationMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes a DataMigration's Jobs and finished database work, asks {@link MigrationPlanner} what to do,
 * stores the decision in the status (the commit point), and only then creates or deletes Jobs and
 * records Events. Database work runs on {@link BackgroundWork}'s threads, never on the reconcile thread.
 * Holds no state that matters: a restarted operator continues from the status and asks for the work again.
 */
@ControllerConfiguration(name = MigrationReconciler.NAME, generationAwareEventProcessing = false)
public class MigrationReconciler implements Reconciler<DataMigration>, AutoCloseable {
  public static final String NAME = "datamigration";
  private static final Logger LOG = LoggerFactory.getLogger(MigrationReconciler.class);
  private static final int WORK_THREADS = 2;

  private final KubernetesClient client;
  private final Clock clock;
  private final MetricsSources metricsSources;
  private final MigrationMetrics metrics;
  private final MigrationPlanner planner;
  private final MigrationJobs jobs;
  private final EventRecorder events;
  private final ReconcileFailures failures;
  private final SecretValues secretValues;
  private final DatabaseSecrets secrets;
  private final StatusWriter statusWriter;
  private final Verifier verifier;
  private final BackgroundWork<ResourceID> work = new BackgroundWork<>(WORK_THREADS);
  /** Jobs the API server refused to create, by namespace/name: reported to the planner as failed. */
  private final Map<String, String> refused = new ConcurrentHashMap<>();
  private final SimpleInboundEventSource<DataMigration> wakeUps = new SimpleInboundEventSource<>("migration-work");
  /**
   * The resourceVersion each of our last status writes was based on. A reconcile that still sees it runs on
   * a cache older than our own write and would repeat its decision (the mock API server even accepts the
   * stale write), so it waits for the cache instead.
   */
  private final Map<ResourceID, String> writtenFrom = new ConcurrentHashMap<>();

  public MigrationReconciler(KubernetesClient client, Clock clock, MetricsSources metricsSources,
      MigrationMetrics metrics, StatusWriter statusWriter) {
    this(client, clock, metricsSources, metrics, statusWriter, new MigrationPlanner());
  }

  public MigrationReconciler(KubernetesClient client, Clock clock, MetricsSources metricsSources,
      MigrationMetrics metrics, StatusWriter statusWriter, MigrationPlanner planner) {
    this.client = client;
    this.clock = clock;
    this.metricsSources = metricsSources;
    this.metrics = metrics;
    this.planner = planner;
    this.jobs = new MigrationJobs(client);
    this.events = new EventRecorder(client, clock);
    this.failures = new ReconcileFailures(events);
    this.secretValues = new SecretValues(client);
    this.secrets = new DatabaseSecrets(secretValues);
    this.statusWriter = statusWriter;
    this.verifier = new Verifier(clock);
    work.onDone(id -> {
      if (wakeUps.isRunning()) {
        wakeUps.propagateEvent(id);
      }
    });
  }

  @Override
  public List<EventSource<?, DataMigration>> prepareEventSources(EventSourceContext<DataMigration> context) {
    var config = InformerEventSourceConfiguration.from(Job.class, DataMigration.class)
        .withLabelSelector(MigrationJobs.MIGRATION_LABEL)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DataMigration.class))
        .build();
    return List.of(new InformerEventSource<>(config, context), wakeUps);
  }

  @Override
  public ErrorStatusUpdateControl<DataMigration> updateErrorStatus(DataMigration migration,
      Context<DataMigration> context, Exception e) {
    return failures.report(migration, e);
  }

  @Override
  public UpdateControl<DataMigration> reconcile(DataMigration migration, Context<DataMigration> context) {
    UpdateControl<DataMigration> control = turn(migration, context);
    failures.succeeded(migration);
    return control;
  }

  private UpdateControl<DataMigration> turn(DataMigration migration, Context<DataMigration> context) {
    Instant now = clock.instant();
    ResourceID id = ResourceID.fromResource(migration);
    String version = migration.getMetadata().getResourceVersion();
    String stale = writtenFrom.get(id);
    if (stale != null) {
      if (stale.equals(version)) {
        return UpdateControl.<DataMigration>noUpdate().rescheduleAfter(Duration.ofMillis(100));
      }
      writtenFrom.remove(id, stale);
    }
    Map<String, ObservedJob> observedJobs = observeJobs(migration, context);

    List<WorkRequest> due = planner.due(migration, now);
    Set<String> keys = new HashSet<>();
    due.forEach(w -> keys.add(uidPrefix(migration) + w.key()));
    work.retain(id, keys);
    Results results = run(migration, id, due);

    String action = migration.getMetadata().getAnnotations() == null ? null
        : migration.getMetadata().getAnnotations().get(MigrationAction.ANNOTATION);
    long generation = migration.getMetadata().getGeneration() == null ? 0 : migration.getMetadata().getGeneration();
    MigrationObservation observation = new MigrationObservation(generation, action, observedJobs, results.preflight,
        results.verify, results.rollback);
    MigrationPlan plan = planner.plan(migration, observation, now);
    DataMigrationStatus status = plan.status();

    boolean changed = !Objects.equals(json(status), json(migration.getStatus()));
    // The status is the commit point: Jobs are created only once the decision naming them is stored, so a
    // stale cache or a crash never starts a step twice (the status write is refused with 409 instead).
    if (changed && !statusWriter.write(migration, withStatus(migration, status), DataMigration::new)) {
      LOG.debug("status of {} changed since it was read; planning again", id);
      return UpdateControl.<DataMigration>noUpdate().rescheduleAfter(Duration.ofMillis(200));
    }
    if (changed && version != null) {
      writtenFrom.put(id, version);
    }
    if (plan.actionConsumed()) {
      removeAction(migration, action);
    }
    List<Note> notes = new ArrayList<>(plan.notes());
    Duration requeue = plan.requeueAfter();
    DataMigration decided = withStatus(migration, status);
    try {
      requeue = applyJobs(migration, decided, plan, notes, requeue);
    } finally {
      // The decision is stored: its Events and metrics are due even when creating a Job threw (the retry
      // creates it, but plans nothing new to report).
      for (Note note : notes) {
        events.record(migration, note);
      }
      metrics.record(migration, status, results.evaluations);
    }
    return UpdateControl.<DataMigration>noUpdate().rescheduleAfter(requeue);
  }

  /** Creates and deletes the plan's Jobs; a refusal is reported to the planner as the Job failing. */
  private Duration applyJobs(DataMigration migration, DataMigration decided, MigrationPlan plan, List<Note> notes,
      Duration requeue) {
    for (JobChange change : plan.jobs()) {
      try {
        if (change instanceof JobChange.Create create) {
          jobs.create(decided, create);
          refused.remove(jobKey(migration, create.name()));
        } else {
          jobs.delete(migration, change.name());
        }
      } catch (KubernetesClientException e) {
        // Only a Job the API server finds invalid is refused for good. A 403 (a full ResourceQuota, a
        // webhook that is down or changes its mind), a 429 or a 5xx may pass later: the reconcile throws,
        // JOSDK retries with backoff and the planner creates the Job again (it was never seen, so it cannot
        // run twice); treating them as the Job failing undid earlier stages over a passing quota.
        if (e.getCode() != 422 && e.getCode() != 400) {
          throw e;
        }
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage();
        refused.put(jobKey(migration, change.name()), "the API server refused the Job: " + reason);
        notes.add(Note.warning("JobRefused", "Job " + change.name() + ": the API server refused it: " + reason));
        requeue = Duration.ofMillis(200);
      }
    }
    return requeue;
  }

  @Override
  public void close() {
    work.close();
  }

  // ----- observing Jobs

  /**
   * The migration's Jobs from the informer, plus a direct read of every Job the status says is running
   * but the cache does not show yet: "absent" must mean absent before the planner may create it.
   */
  private Map<String, ObservedJob> observeJobs(DataMigration migration, Context<DataMigration> context) {
    Map<String, ObservedJob> observed = new HashMap<>();
    for (Job job : context.getSecondaryResources(Job.class)) {
      observed.put(job.getMetadata().getName(), MigrationJobs.observe(job));
    }
    DataMigrationStatus status = migration.getStatus();
    if (status == null) {
      return observed;
    }
    List<JobRun> running = new ArrayList<>();
    if (status.getBackup() != null) {
      running.add(status.getBackup());
    }
    for (StageProgress stage : status.getStages()) {
      if (stage.getJob() != null) {
        running.add(stage.getJob());
      }
      if (stage.getUndo() != null) {
        running.add(stage.getUndo());
      }
    }
    String ns = migration.getMetadata().getNamespace();
    for (JobRun run : running) {
      if (run.getState() != JobState.Running || observed.containsKey(run.getName())) {
        continue;
      }
      String refusal = refused.get(jobKey(migration, run.getName()));
      if (refusal != null) {
        observed.put(run.getName(), new ObservedJob(run.getName(), null, JobState.Failed, refusal));
        continue;
      }
      jobs.get(ns, run.getName()).filter(j -> ownedBy(j, migration))
          .ifPresent(j -> observed.put(run.getName(), MigrationJobs.observe(j)));
    }
    return observed;
  }

  private static boolean ownedBy(Job job, DataMigration migration) {
    return job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Objects.equals(o.getUid(), migration.getMetadata().getUid()));
  }

  // ----- database work

  private record Results(PreflightOutcome preflight, Map<String, VerifyOutcome> verify,
      Map<String, VerifyOutcome> rollback, List<MigrationMetrics.Evaluation> evaluations) {}

  private Results run(DataMigration migration, ResourceID id, List<WorkRequest> due) {
    PreflightOutcome preflight = null;
    Map<String, VerifyOutcome> verify = new LinkedHashMap<>();
    Map<String, VerifyOutcome> rollback = new LinkedHashMap<>();
    List<MigrationMetrics.Evaluation> evaluations = new ArrayList<>();
    if (due.isEmpty()) {
      return new Results(null, verify, rollback, evaluations);
    }
    boolean needsDatabases = due.stream().anyMatch(w -> !(w instanceof WorkRequest.Verify v)
        || v.check().getCompare() != null);
    DatabaseSecrets.Lookup lookup = needsDatabases ? secrets.lookup(migration) : null;
    String prefix = uidPrefix(migration);
    for (WorkRequest request : due) {
      String key = prefix + request.key();
      if (request instanceof WorkRequest.Preflight) {
        preflight = preflight(migration, id, key, lookup);
      } else if (request instanceof WorkRequest.Verify v) {
        verify(migration, id, key, v, lookup).ifPresent(o -> {
          verify.put(v.check().getName(), o);
          evaluations.add(new MigrationMetrics.Evaluation(v.check().getName(), o.duration()));
        });
      } else if (request instanceof WorkRequest.RollbackVerify r) {
        Optional<VerifyOutcome> outcome = lookup instanceof DatabaseSecrets.Lookup.Found f
            ? work.poll(id, key, () -> verifier.expectEmpty(r.check(), f.target(), r.keyFrom(), r.keyTo()),
                e -> VerifyOutcome.error("rollback check failed: " + redact(f, e), null))
            : Optional.of(secretProblem(lookup));
        outcome.ifPresent(o -> {
          rollback.put(r.check().getName(), o);
          evaluations.add(new MigrationMetrics.Evaluation(r.check().getName(), o.duration()));
        });
      }
    }
    return new Results(preflight, verify, rollback, evaluations);
  }

  private PreflightOutcome preflight(DataMigration migration, ResourceID id, String key, DatabaseSecrets.Lookup lookup) {
    if (lookup instanceof DatabaseSecrets.Lookup.Missing m) {
      return new PreflightOutcome.Blocked(MigrationPlanner.SECRET_NOT_FOUND, m.message(), List.of());
    }
    if (lookup instanceof DatabaseSecrets.Lookup.Invalid i) {
      return new PreflightOutcome.Invalid(i.errors());
    }
    DatabaseSecrets.Lookup.Found f = (DatabaseSecrets.Lookup.Found) lookup;
    return work.poll(id, key, () -> new Preflight(migration.getSpec(), f.source(), f.target(), clock).run(),
        e -> (PreflightOutcome) new PreflightOutcome.Blocked(MigrationPlanner.NO_EVIDENCE,
            "checking before the first write failed: " + redact(f, e), List.of())).orElse(null);
  }

  private Optional<VerifyOutcome> verify(DataMigration migration, ResourceID id, String key, WorkRequest.Verify v,
      DatabaseSecrets.Lookup lookup) {
    VerifyCheck check = v.check();
    Map<String, String> variables = Verifier.variables(migration.getMetadata().getName(),
        migration.getMetadata().getNamespace(), v.stage());
    if (check.getPrometheus() != null) {
      Optional<MetricsSource> source = metricsSource(migration);
      if (source.isEmpty()) {
        return Optional.of(VerifyOutcome.error("Secret " + migration.getSpec().getPrometheus().getSecretRef().getName()
            + " (spec.prometheus.secretRef) not found", Duration.ZERO));
      }
      return work.poll(id, key, () -> verifier.verify(check, null, null, source.get(), variables, v.keyFrom(), v.keyTo()),
          e -> VerifyOutcome.error("prometheus check failed: " + e.getClass().getSimpleName(), null));
    }
    if (!(lookup instanceof DatabaseSecrets.Lookup.Found f)) {
      return Optional.of(secretProblem(lookup));
    }
    return work.poll(id, key,
        () -> verifier.verify(check, f.source(), f.target(), null, variables, v.keyFrom(), v.keyTo()),
        e -> VerifyOutcome.error("compare failed: " + redact(f, e), null));
  }

  private static VerifyOutcome secretProblem(DatabaseSecrets.Lookup lookup) {
    if (lookup instanceof DatabaseSecrets.Lookup.Missing m) {
      return VerifyOutcome.error(m.message(), Duration.ZERO);
    }
    if (lookup instanceof DatabaseSecrets.Lookup.Invalid i) {
      return VerifyOutcome.error(String.join("; ", i.errors()), Duration.ZERO);
    }
    return VerifyOutcome.error("no database", Duration.ZERO);
  }

  /** The migration's Prometheus with credentials from its Secret; empty when that Secret is missing. */
  private Optional<MetricsSource> metricsSource(DataMigration migration) {
    PrometheusSource prometheus = migration.getSpec().getPrometheus();
    String url = prometheus == null ? null : prometheus.getUrl();
    Optional<Map<String, String>> secret = Optional.empty();
    if (prometheus != null && prometheus.getSecretRef() != null) {
      secret = secretValues.read(migration.getMetadata().getNamespace(), prometheus.getSecretRef().getName());
      if (secret.isEmpty()) {
        return Optional.empty();
      }
    }
    MetricsSource source = metricsSources.forTarget(url, secret);
    // Exceptions from a source (a malformed URL) are evidence problems, never passes.
    return Optional.of((query, timeout) -> {
      try {
        return source.query(query, timeout);
      } catch (RuntimeException e) {
        return new QueryResult.Failed(e.getClass().getSimpleName());
      }
    });
  }

  private static String redact(DatabaseSecrets.Lookup.Found f, Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    return e.getClass().getSimpleName() + f.target().redact(f.source().redact(message));
  }

  /** Work keys carry the uid, so a DataMigration deleted and created again never sees the old one's results. */
  private static String uidPrefix(DataMigration migration) {
    return migration.getMetadata().getUid() + "/";
  }

  private static String jobKey(DataMigration migration, String job) {
    return migration.getMetadata().getNamespace() + "/" + job;
  }

  // ----- status and annotations

  private static DataMigration withStatus(DataMigration migration, DataMigrationStatus status) {
    DataMigration copy = new DataMigration();
    copy.setMetadata(new ObjectMetaBuilder(migration.getMetadata()).build());
    copy.setSpec(migration.getSpec());
    copy.setStatus(status);
    return copy;
  }

  /** Removes the annotation only if it still holds what we applied, so a newer action is never lost. */
  private void removeAction(DataMigration migration, String value) {
    if (value == null) {
      return;
    }
    String path = "/metadata/annotations/" + MigrationAction.ANNOTATION.replace("~", "~0").replace("/", "~1");
    String patch = "[{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":" + Serialization.asJson(value) + "},"
        + "{\"op\":\"remove\",\"path\":\"" + path + "\"}]";
    try {
      client.resources(DataMigration.class).inNamespace(migration.getMetadata().getNamespace())
          .withName(migration.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      LOG.warn("could not remove the {} annotation: {}", MigrationAction.ANNOTATION, e.getMessage());
    }
  }

  private static String json(DataMigrationStatus status) {
    return status == null ? "null" : Serialization.asJson(status);
  }
}
