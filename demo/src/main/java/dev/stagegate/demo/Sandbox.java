package dev.stagegate.demo;

import dev.stagegate.OperatorSettings;
import dev.stagegate.StagegateOperator;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.release.ReleaseWorkload;
import dev.stagegate.sandbox.FakeJobRunner;
import dev.stagegate.sandbox.FakeKubelet;
import dev.stagegate.sandbox.PrometheusServer;
import dev.stagegate.sandbox.ReadyPodsByLabel;
import dev.stagegate.sandbox.RevisionMetricsApp;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Everything the operator runs against, started in order and stopped in reverse, once, whether the demo ends,
 * fails or is interrupted (the shutdown hook calls {@link #close()} too): an API server, the fake kubelet, the
 * demo app's revisions, Prometheus scraping them, and the operator itself, unchanged.
 */
public final class Sandbox implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sandbox.class);
  /** Ready pods follow a new Deployment generation after this: long enough to see, short enough for the demo. */
  private static final Duration READINESS_DELAY = Duration.ofSeconds(1);
  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
  // Every CRD the operator watches: it does not start without them (the check templates included).
  private static final List<String> CRD_PLURALS = List.of("releases", "datamigrations", "checktemplates",
      "clusterchecktemplates");
  /** Members in the production and UAT databases: 1% pilot = 1,000 rows, 10% ramp, then the rest. */
  static final long MEMBERS = 100_000;
  private static final int OWN_ACCOUNTS = 500;
  /** Errors of a healthy revision: with ~90 requests/s at a 10% canary, a 1% threshold is not crossed by chance. */
  static final double HEALTHY_ERROR_RATE = 0.0005;

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Terminal terminal;
  private KubeApi api;
  private RevisionMetricsApp app;
  private PrometheusServer prometheus;
  private MetricsSources metrics;
  private String metricsDescription;
  private StagegateOperator operator;
  private MembersDatabase database;
  private LoaderMetrics loaderMetrics;
  private MembersJobs jobs;
  private final MembersJobs.Progress progress;
  private boolean closed;

  private Sandbox(Terminal terminal, MembersJobs.Progress progress) {
    this.terminal = terminal;
    this.progress = progress;
  }

  /**
   * Starts every part, saying in one line each what it is.
   *
   * @param appName the app label of the example Release's pods, for the demo app's metrics
   * @param namespace the example's namespace, created here and put on every scraped series
   * @param migrations whether to start what the DataMigration scenarios need: PostgreSQL, the loader, the Jobs
   * @param progress told how far a running loader got
   */
  public static Sandbox start(DemoOptions options, Terminal terminal, String appName, String namespace,
      boolean migrations, MembersJobs.Progress progress) {
    Sandbox sandbox = new Sandbox(terminal, progress);
    // PostgreSQL and the API server take the longest to start: side by side.
    long t0 = System.nanoTime();
    CompletableFuture<MembersDatabase> database = migrations
        ? CompletableFuture.supplyAsync(() -> MembersDatabase.start(MEMBERS, OWN_ACCOUNTS)) : null;
    try {
      sandbox.startApi(options.api());
      sandbox.installCrds();
      sandbox.createNamespace(namespace);
      if (database != null) {
        sandbox.startDatabase(join(database), t0);
      }
      sandbox.startMetrics(options, appName, namespace);
      sandbox.startKubelet(appName);
      if (migrations) {
        sandbox.startJobRunner();
      }
      sandbox.startOperator();
      return sandbox;
    } catch (RuntimeException e) {
      if (database != null && sandbox.database == null) {
        try {
          join(database).close();
        } catch (RuntimeException notStartedEither) {
          // nothing to stop
        }
      }
      sandbox.close();
      throw e;
    }
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void startApi(DemoOptions.ApiMode mode) {
    boolean real = switch (mode) {
      case REAL -> {
        if (!RealKubeApi.available()) {
          throw new SandboxException("--api=real, but there is no kube-apiserver/etcd in " + RealKubeApi.binaryFolder()
              + " (build them with `scripts/control-plane.sh`)");
        }
        yield true;
      }
      case MOCK -> false;
      case AUTO -> RealKubeApi.available();
    };
    long t0 = System.nanoTime();
    api = own(real ? RealKubeApi.start() : MockKubeApi.start());
    terminal.line(terminal.bold("API server  ") + api.description() + terminal.dim(" — up in " + since(t0)));
  }

  private void installCrds() {
    KubernetesClient client = api.client();
    for (String plural : CRD_PLURALS) {
      String resource = "META-INF/fabric8/" + plural + ".stagegate.dev-v1.yml";
      try (InputStream in = StagegateOperator.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the operator jar has no " + resource + ": rebuild it (make build)");
        }
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        if (api.real()) {
          client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream().anyMatch(
                      cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                  30, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the CRD " + resource + " from the operator", e);
      }
    }
  }

  private void createNamespace(String namespace) {
    try {
      api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
          .build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void startDatabase(MembersDatabase started, long t0) {
    database = own(started);
    loaderMetrics = own(LoaderMetrics.start());
    terminal.line(terminal.bold("PostgreSQL  ") + String.format(java.util.Locale.ROOT,
        "embedded, port %d: %s (%,d members), %s (%,d test fixtures, same keys), target %s (%,d accounts of its own)",
        database.port(), MembersDatabase.PRODUCTION, MEMBERS, MembersDatabase.UAT, MEMBERS, MembersDatabase.TARGET,
        OWN_ACCOUNTS) + terminal.dim(" — up in " + since(t0)));
  }

  private void startJobRunner() {
    jobs = new MembersJobs(loaderMetrics, progress);
    own(FakeJobRunner.builder(api.client(), jobs).threads(2).build().start());
    terminal.line(terminal.bold("Jobs        ") + "fake job runner: the example's loader, undo and dump containers run"
        + " in-process over JDBC");
  }

  private void startMetrics(DemoOptions options, String appName, String namespace) {
    // Enough requests that a canary on one pod in ten gives a steady error rate within a few seconds.
    app = own(RevisionMetricsApp.builder(appName).requestsPerSecond(1000)
        .defaults(HEALTHY_ERROR_RATE, Duration.ofMillis(40)).seed(42).build().start());
    if (options.simulatedMetrics()) {
      SimulatedMetrics simulated = new SimulatedMetrics(app, loaderMetrics, Clock.systemUTC());
      metrics = (url, secret) -> simulated;
      metricsDescription = "SIMULATED (no Prometheus: values computed from the demo app's counters)";
      terminal.line(terminal.bold("Metrics     ") + terminal.yellow(metricsDescription) + " from " + app.metricsUrl());
      return;
    }
    Path binary = PrometheusBinary.find().orElseThrow(() -> new SandboxException(
        "Prometheus is not installed (looked for $PROMETHEUS_BINARY, /usr/bin/prometheus and `prometheus` on PATH). "
            + "Install it (`apt-get install prometheus`; `make demo` does that when it runs as root), "
            + "or run with simulated metrics: make demo ARGS=--simulated-metrics"));
    long t0 = System.nanoTime();
    try {
      PrometheusServer server = new PrometheusServer(binary).scrapeInterval(SCRAPE_INTERVAL)
          .scrapeJob(appName, List.of(app.hostPort()), Map.of("namespace", namespace));
      if (loaderMetrics != null) {
        server.scrapeJob("members-loader", List.of(loaderMetrics.hostPort()), Map.of());
      }
      prometheus = own(server.start());
    } catch (RuntimeException e) {
      throw new SandboxException("Prometheus (" + binary + ") did not start: " + e.getMessage(), e);
    }
    metrics = MetricsSources.prometheus(prometheus.url(), PrometheusAuth.none());
    metricsDescription = "Prometheus " + prometheus.url();
    terminal.line(terminal.bold("Metrics     ") + "real Prometheus (" + binary + ") at " + prometheus.url()
        + ", scraping the demo app " + app.metricsUrl() + (loaderMetrics == null ? "" : " and the members loader")
        + " every " + SCRAPE_INTERVAL.toSeconds() + "s"
        + terminal.dim(" — up in " + since(t0)));
  }

  private void startKubelet(String appName) {
    own(FakeKubelet.builder(api.client()).readinessDelay(READINESS_DELAY)
        .onReadinessChange(new ReadyPodsByLabel(Map.of("app", appName), ReleaseWorkload.REVISION_LABEL,
            app::setTraffic))
        .build().start());
    terminal.line(terminal.bold("Kubelet     ") + "fake kubelet: Deployments' pods ready " + READINESS_DELAY.toSeconds()
        + "s after each change; the demo app's traffic follows ready pods per revision");
  }

  private void startOperator() {
    String url = prometheus == null ? "http://simulated.invalid:9090" : prometheus.url();
    OperatorSettings settings = OperatorSettings.forTests(url).withServerSideApply(api.real());
    operator = own(new StagegateOperator(api.client(), settings, Clock.systemUTC(), metrics).start());
    terminal.line(terminal.bold("Operator    ") + "stagegate operator (the same code as the image), watching all namespaces");
  }

  private <T extends AutoCloseable> T own(T part) {
    started.push(part);
    return part;
  }

  public KubernetesClient client() {
    return api.client();
  }

  public KubeApi api() {
    return api;
  }

  public RevisionMetricsApp app() {
    return app;
  }

  public MembersDatabase database() {
    return database;
  }

  LoaderMetrics loaderMetrics() {
    return loaderMetrics;
  }

  MembersJobs jobs() {
    return jobs;
  }

  public String metricsDescription() {
    return metricsDescription;
  }

  public boolean simulatedMetrics() {
    return prometheus == null;
  }

  /** Stops everything started, newest first; safe to call twice and from the shutdown hook. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        // On Ctrl-C the terminal signals the child processes too: they may be gone before we stop them.
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }

  private static String since(long t0) {
    return String.format("%.1fs", (System.nanoTime() - t0) / 1e9);
  }
}
