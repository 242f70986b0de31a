package dev.stagegate;

import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.analysis.PrometheusAuthFromSecret;
import dev.stagegate.analysis.PrometheusLimits;
import dev.stagegate.analysis.SharedQueries;
import dev.stagegate.kube.EventRecorder;
import dev.stagegate.kube.OrderedWrites;
import dev.stagegate.kube.ReconcileRetry;
import dev.stagegate.kube.SecretValues;
import dev.stagegate.kube.StatusWriter;
import dev.stagegate.kube.ForgetDeleted;
import dev.stagegate.kube.LeanItemStore;
import dev.stagegate.kube.LeaseHandback;
import dev.stagegate.metrics.DeletedResourceMetrics;
import dev.stagegate.metrics.MigrationMetrics;
import dev.stagegate.metrics.ReconcileErrorMetrics;
import dev.stagegate.metrics.ReconcileLatencyBuckets;
import dev.stagegate.metrics.ReleaseMetrics;
import dev.stagegate.migration.MigrationReconciler;
import dev.stagegate.notify.Notifier;
import dev.stagegate.notify.NotifyMetrics;
import dev.stagegate.notify.NotifySender;
import dev.stagegate.notify.NotifySettings;
import dev.stagegate.release.ReleaseReconciler;
import dev.stagegate.release.WorkloadRefCleanup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator, assembled: JOSDK, the reconcilers, metrics and the health server. {@link Main} runs
 * it against a cluster; tests run the very same thing against a mock or real API server.
 */
public final class StagegateOperator implements AutoCloseable {
  /** Distinct answers kept at most: a few per check of each resource, at the largest sizes measured. */
  private static final int SHARED_ANSWERS = 20_000;
  private final Operator operator;
  private final PrometheusMeterRegistry registry;
  private final HealthServer health;
  private final MigrationReconciler migrations;
  private final ReleaseReconciler releases;
  private final OrderedWrites notifySends;
  /** This instance's Event writes: never behind another instance's in the same JVM, flushed when it closes. */
  private final OrderedWrites eventWrites = EventRecorder.newBackgroundWriter();
  /** Null without leader election. */
  private final LeaseHandback leaseHandback;

  public StagegateOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
    this(client, settings, clock, NotifySettings.none());
  }

  public StagegateOperator(KubernetesClient client, OperatorSettings settings, Clock clock, NotifySettings notify) {
    this(client, settings, clock, sharedQueries(settings, clock), notify);
  }

  /** One answer cache and one set of Prometheus limits for every resource this operator handles. */
  private StagegateOperator(KubernetesClient client, OperatorSettings settings, Clock clock, SharedQueries shared,
      NotifySettings notify) {
    this(client, settings, clock, MetricsSources.prometheus(settings.prometheusUrl(), defaultAuth(settings), shared,
        new PrometheusLimits(settings.scale().prometheusConcurrency(), settings.scale().prometheusTimeout())), shared,
        notify);
  }

  public StagegateOperator(KubernetesClient client, OperatorSettings settings, Clock clock, MetricsSources sources) {
    this(client, settings, clock, sources, null, NotifySettings.none());
  }

  public StagegateOperator(KubernetesClient client, OperatorSettings settings, Clock clock, MetricsSources sources,
      NotifySettings notify) {
    this(client, settings, clock, sources, null, notify);
  }

  private StagegateOperator(KubernetesClient client, OperatorSettings settings, Clock clock, MetricsSources sources,
      SharedQueries shared, NotifySettings notify) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(ReconcileLatencyBuckets.FILTER);
    if (shared != null) {
      // Asked vs sent shows how much the sharing saves; a bench or a dashboard reads both.
      FunctionCounter.builder("stagegate_prometheus_queries_asked", shared, SharedQueries::asked)
          .description("Prometheus queries asked by checks, answered from a shared answer or sent").register(registry);
      FunctionCounter.builder("stagegate_prometheus_queries_sent", shared, SharedQueries::sent)
          .description("Prometheus queries actually sent").register(registry);
    }
    ReleaseMetrics releaseMetrics = new ReleaseMetrics(registry);
    MigrationMetrics migrationMetrics = new MigrationMetrics(registry);
    ForgetDeleted forgetDeleted = new ForgetDeleted();
    this.leaseHandback = settings.leaderElection()
        ? new LeaseHandback(client, settings.leaseNamespace(), settings.leaseName(), settings.identity()) : null;
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(settings.useServerSideApply())
          .withMetrics(new AggregatedMetrics(List.of(
              MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build(),
              new DeletedResourceMetrics(releaseMetrics, migrationMetrics),
              forgetDeleted,
              new ReconcileErrorMetrics(registry))))
          .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
      if (settings.scale().reconcileThreads() > 0) {
        o.withConcurrentReconciliationThreads(settings.scale().reconcileThreads());
      }
      if (leaseHandback != null) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(),
            settings.leaseNamespace(), settings.leaseDuration(), settings.leaseDuration().multipliedBy(2).dividedBy(3),
            settings.leaseDuration().dividedBy(5), leaseHandback.identity(), null, false));
      }
    });
    // One notifier for both kinds: the same HTTP client, defaults and counters.
    // Sends leave the reconcile threads (a slow receiver must not hold them); results are still recorded once.
    this.notifySends = OrderedWrites.background("notify-sender", 2, OrderedWrites.DEFAULT_CAPACITY);
    Notifier notifier = new Notifier(new SecretValues(client), new NotifySender(), notify, new NotifyMetrics(registry),
        notifySends);
    this.releases = new ReleaseReconciler(client, clock, sources, releaseMetrics,
        new StatusWriter(client, settings.useServerSideApply()), notifier, eventWrites);
    forgetDeleted.register("Release", releases::forget);
    operator.register(releases, c -> {
      c.withRetry(ReconcileRetry.forever());
      scoped(c, settings);
    });
    // Holds a Release that adopted a Deployment (spec.workloadRef) until that Deployment is scaled back.
    operator.register(new WorkloadRefCleanup(client, clock), c -> scoped(c, settings));
    this.migrations = new MigrationReconciler(client, clock, sources, migrationMetrics,
        new StatusWriter(client, settings.useServerSideApply()), notifier, eventWrites);
    forgetDeleted.register("DataMigration", migrations::forget);
    operator.register(migrations, c -> {
      c.withRetry(ReconcileRetry.forever());
      scoped(c, settings);
    });
    this.health = settings.port() >= 0 ? new HealthServer(settings.port(), registry, operator) : null;
  }

  private static SharedQueries sharedQueries(OperatorSettings settings, Clock clock) {
    Duration window = settings.scale().prometheusShareWindow();
    return window.isZero() ? null : new SharedQueries(clock, window, SHARED_ANSWERS);
  }

  /** The namespaces and shard this install handles, and how often an idle resource is looked at again. */
  private static <R extends HasMetadata> void scoped(ControllerConfigurationOverrider<R> c, OperatorSettings settings) {
    if (!settings.watchNamespaces().isEmpty()) {
      c.settingNamespaces(settings.watchNamespaces());
    }
    if (settings.watchNamespaces().size() <= 1) {
      c.withItemStore(LeanItemStore.dropping());
    }
    if (settings.scale().resourceSelector() != null) {
      c.withLabelSelector(settings.scale().resourceSelector());
    }
    if (settings.scale().maxReconcileInterval() != null) {
      c.withReconciliationMaxInterval(settings.scale().maxReconcileInterval());
    }
  }

  public StagegateOperator start() {
    if (health != null) {
      health.start();
    }
    operator.start();
    return this;
  }

  /** Where a test may stop this instance dead (restart injection); none in production. Call before start(). */
  public StagegateOperator crashPoints(dev.stagegate.kube.CrashPoints points) {
    this.releases.crashPoints(points);
    this.migrations.crashPoints(points);
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Operator operator() {
    return operator;
  }

  /** The metrics/health port actually bound (useful with port 0). */
  public int port() {
    return health == null ? -1 : health.port();
  }

  @Override
  public void close() {
    operator.stop();
    if (leaseHandback != null) {
      leaseHandback.release();
    }
    migrations.close();
    notifySends.close();
    // Events recorded by the last reconciles are written before the process goes (up to 5 s).
    eventWrites.close();
    if (health != null) {
      health.stop();
    }
  }

  /** The operator-wide Prometheus credentials: files `token`, or `username` and `password`, in a mounted Secret folder. */
  static PrometheusAuth defaultAuth(OperatorSettings settings) {
    if (settings.prometheusAuthDir() == null) {
      return PrometheusAuth.none();
    }
    Map<String, String> values = new HashMap<>();
    for (String key : new String[] {"token", "username", "password"}) {
      Path file = Path.of(settings.prometheusAuthDir(), key);
      if (Files.isReadable(file)) {
        try {
          values.put(key, Files.readString(file).trim());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
      }
    }
    return PrometheusAuthFromSecret.of(values);
  }
}
