package dev.stagegate;

import dev.stagegate.api.common.Durations;
import dev.stagegate.notify.NotifySettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `java -jar stagegate-operator.jar`: runs the operator against the current kubeconfig or the in-cluster config. */
@Command(name = "stagegate-operator", mixinStandardHelpOptions = true, version = "stagegate 0.1.0",
    description = "Rolls out Releases and DataMigrations in stages gated on evidence.",
    defaultValueProvider = CommandLine.PropertiesDefaultProvider.class)
public final class Main implements Callable<Integer> {

  @Option(names = "--prometheus-url", defaultValue = "${env:STAGEGATE_PROMETHEUS_URL:-http://prometheus-operated.monitoring:9090}",
      description = "Default Prometheus address for checks (env STAGEGATE_PROMETHEUS_URL). Default: ${DEFAULT-VALUE}")
  String prometheusUrl;

  @Option(names = "--prometheus-auth-dir", defaultValue = "${env:STAGEGATE_PROMETHEUS_AUTH_DIR}",
      description = "Folder with `token`, or `username` and `password`, for the default Prometheus (a mounted Secret; env STAGEGATE_PROMETHEUS_AUTH_DIR)")
  String prometheusAuthDir;

  @Option(names = "--watch-namespaces", defaultValue = "${env:STAGEGATE_WATCH_NAMESPACES}", split = ",",
      description = "Namespaces to watch, comma-separated; all when empty (env STAGEGATE_WATCH_NAMESPACES)")
  String[] watchNamespaces;

  @Option(names = "--port", defaultValue = "${env:STAGEGATE_PORT:-8080}",
      description = "Port for /metrics, /healthz and /readyz (env STAGEGATE_PORT). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--leader-election", defaultValue = "${env:STAGEGATE_LEADER_ELECTION:-false}", arity = "1",
      description = "Elect a leader through a Lease, for several replicas (env STAGEGATE_LEADER_ELECTION). Default: ${DEFAULT-VALUE}")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:STAGEGATE_LEASE_NAME:-stagegate-operator}",
      description = "Lease name for leader election. Default: ${DEFAULT-VALUE}")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE}",
      description = "Lease namespace; the operator's own namespace when empty (env POD_NAMESPACE)")
  String leaseNamespace;

  @Option(names = "--reconcile-threads", defaultValue = "${env:STAGEGATE_RECONCILE_THREADS:-0}",
      description = "Resources reconciled at once; 0 keeps the default of 50 (env STAGEGATE_RECONCILE_THREADS)")
  int reconcileThreads;

  @Option(names = "--resource-selector", defaultValue = "${env:STAGEGATE_RESOURCE_SELECTOR}",
      description = "Label selector: handle only the Releases and DataMigrations it matches, so several installs can"
          + " each own a shard (env STAGEGATE_RESOURCE_SELECTOR); all when empty")
  String resourceSelector;

  @Option(names = "--max-reconcile-interval", defaultValue = "${env:STAGEGATE_MAX_RECONCILE_INTERVAL}",
      description = "Reconcile a resource without events again after this long, e.g. 10m (env"
          + " STAGEGATE_MAX_RECONCILE_INTERVAL); default 10h")
  String maxReconcileInterval;

  @Option(names = "--default-notify", defaultValue = "${env:STAGEGATE_DEFAULT_NOTIFY}",
      description = "File with the operator-wide notification targets, a YAML list of {name, type, url, on}"
          + " (a mounted Secret; env STAGEGATE_DEFAULT_NOTIFY); none when empty")
  String defaultNotify;

  @Option(names = "--dashboard-url", defaultValue = "${env:STAGEGATE_DASHBOARD_URL}",
      description = "Dashboard address put into notifications as a link (env STAGEGATE_DASHBOARD_URL)")
  String dashboardUrl;

  @Option(names = "--prometheus-concurrency", defaultValue = "${env:STAGEGATE_PROMETHEUS_CONCURRENCY:-16}",
      description = "Prometheus queries in flight at once, operator-wide (env STAGEGATE_PROMETHEUS_CONCURRENCY). Default: ${DEFAULT-VALUE}")
  int prometheusConcurrency;

  @Option(names = "--prometheus-timeout", defaultValue = "${env:STAGEGATE_PROMETHEUS_TIMEOUT:-10s}",
      description = "Longest any one Prometheus query may take, waiting for a free slot included; a check's own"
          + " timeout may only shorten it (env STAGEGATE_PROMETHEUS_TIMEOUT). Default: ${DEFAULT-VALUE}")
  String prometheusTimeout;

  @Option(names = "--prometheus-share-window", defaultValue = "${env:STAGEGATE_PROMETHEUS_SHARE_WINDOW:-10s}",
      description = "Identical queries (same Prometheus, same credentials) asked within one such window are sent"
          + " once and the answer shared; 0s turns sharing off (env STAGEGATE_PROMETHEUS_SHARE_WINDOW). Default: ${DEFAULT-VALUE}")
  String prometheusShareWindow;

  @Option(names = "--log-format", defaultValue = "${env:STAGEGATE_LOG_FORMAT:-plain}",
      description = "plain or json (env STAGEGATE_LOG_FORMAT). Default: ${DEFAULT-VALUE}")
  String logFormat;

  @Option(names = "--log-level", defaultValue = "${env:STAGEGATE_LOG_LEVEL:-INFO}",
      description = "TRACE, DEBUG, INFO, WARN or ERROR (env STAGEGATE_LOG_LEVEL). Default: ${DEFAULT-VALUE}")
  String logLevel;

  public static void main(String[] args) {
    commonPoolOfAtLeastTwo();
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (reconcileThreads < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--reconcile-threads: expected 0 (default) or more, got " + reconcileThreads);
    }
    if (prometheusConcurrency < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--prometheus-concurrency: expected 1 or more, got " + prometheusConcurrency);
    }
    if (!logFormat.equals("plain") && !logFormat.equals("json")) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--log-format: expected plain or json, got '" + logFormat + "'");
    }
    LogSetup.configure(logFormat, logLevel);
    Logger log = LoggerFactory.getLogger(Main.class);
    Set<String> namespaces = new LinkedHashSet<>();
    if (watchNamespaces != null) {
      Arrays.stream(watchNamespaces).map(String::trim).filter(s -> !s.isEmpty()).forEach(namespaces::add);
    }
    OperatorSettings settings = new OperatorSettings(prometheusUrl, prometheusAuthDir, namespaces, port,
        leaderElection, leaseName, blankToNull(leaseNamespace), Duration.ofSeconds(15), true, null,
        new OperatorSettings.Scale(reconcileThreads, resourceSelector, interval(), prometheusConcurrency,
            duration("--prometheus-timeout", prometheusTimeout, false), duration("--prometheus-share-window", prometheusShareWindow, true)));
    log.info("stagegate starting: prometheus={} promAuth={} namespaces={} selector={} threads={} port={} leaderElection={} lease={}/{} logFormat={}",
        prometheusUrl.replaceFirst("://[^/@]*@", "://****@"), prometheusAuthDir == null ? "none" : "from " + prometheusAuthDir,
        namespaces.isEmpty() ? "all" : namespaces, settings.scale().resourceSelector() == null ? "none"
            : settings.scale().resourceSelector(), reconcileThreads == 0 ? "default" : reconcileThreads, port, leaderElection,
        leaseNamespace == null ? "(own namespace)" : leaseNamespace, leaseName, logFormat);

    KubernetesClient client = new KubernetesClientBuilder().build();
    NotifySettings notify = NotifySettings.load(defaultNotify == null || defaultNotify.isBlank() ? null
        : Path.of(defaultNotify), dashboardUrl);
    log.info("default notification targets: {}", notify.defaults().isEmpty() ? "none" : notify.defaults());
    StagegateOperator operator = new StagegateOperator(client, settings, Clock.systemUTC(), notify);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      operator.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    operator.start();
    stopped.await();
    return 0;
  }

  /**
   * With fewer than 3 CPUs (a 2-core node, or a container CPU limit of 2) the JDK's common pool has parallelism 1,
   * and CompletableFuture then starts a new thread for every async step: the Kubernetes client's JDK HTTP
   * transport does that several times per API call. Profiling `make bench-scale` showed hundreds of thread
   * starts per minute at 10 Releases. Two common-pool threads avoid it; an explicit setting is left alone.
   * Must run before anything touches ForkJoinPool.
   */
  static void commonPoolOfAtLeastTwo() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(key, "2");
    }
  }

  private Duration interval() {
    if (maxReconcileInterval == null || maxReconcileInterval.isBlank()) {
      return null;
    }
    return Durations.parse(maxReconcileInterval).filter(d -> !d.isNegative() && !d.isZero())
        .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this),
            "--max-reconcile-interval: expected a positive duration such as 10m, got '" + maxReconcileInterval + "'"));
  }

  private Duration duration(String flag, String text, boolean zeroAllowed) {
    return Durations.parse(text == null ? "" : text.trim())
        .filter(d -> !d.isNegative() && (zeroAllowed || !d.isZero()))
        .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this),
            flag + ": expected a " + (zeroAllowed ? "" : "positive ") + "duration such as 10s, got '" + text + "'"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
