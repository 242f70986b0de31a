package dev.stagegate;

import dev.stagegate.analysis.PrometheusLimits;
import java.time.Duration;
import java.util.Set;

/**
 * How one operator instance runs. Built by {@link Main} from flags and environment, or directly by tests.
 *
 * @param watchNamespaces empty = all namespaces
 * @param useServerSideApply JOSDK's default; the Fabric8 mock server cannot do it, so its tests turn it off
 * @param port metrics and health port; 0 picks a free one, negative disables the server
 * @param scale the knobs a large install turns: reconcile threads, the shard's label selector, resync
 */
public record OperatorSettings(String prometheusUrl, String prometheusAuthDir, Set<String> watchNamespaces,
    int port, boolean leaderElection, String leaseName, String leaseNamespace, Duration leaseDuration,
    boolean useServerSideApply, String identity, Scale scale) {

  /**
   * @param reconcileThreads resources reconciled at once (JOSDK's pool); 0 keeps JOSDK's default of 50
   * @param resourceSelector only Releases and DataMigrations matching this label selector are handled, so
   *     several installs can each own a shard; null or blank = all
   * @param maxReconcileInterval a resource with no event is reconciled again after this long (the resync);
   *     null keeps JOSDK's default of 10 hours
   * @param prometheusConcurrency Prometheus queries in flight at once, operator-wide
   * @param prometheusTimeout the longest any one Prometheus query may take (a check may ask for less)
   * @param prometheusShareWindow identical unpinned queries within one such window are sent once; zero = never
   */
  public record Scale(int reconcileThreads, String resourceSelector, Duration maxReconcileInterval,
      int prometheusConcurrency, Duration prometheusTimeout, Duration prometheusShareWindow) {
    public static final Duration DEFAULT_SHARE_WINDOW = Duration.ofSeconds(10);
    public static final Scale DEFAULT = new Scale(0, null, null);

    public Scale(int reconcileThreads, String resourceSelector, Duration maxReconcileInterval) {
      this(reconcileThreads, resourceSelector, maxReconcileInterval, PrometheusLimits.DEFAULT_CONCURRENCY,
          PrometheusLimits.DEFAULT_TIMEOUT, DEFAULT_SHARE_WINDOW);
    }

    public Scale {
      if (reconcileThreads < 0) {
        throw new IllegalArgumentException("reconcile threads must be 0 (default) or more, got " + reconcileThreads);
      }
      if (maxReconcileInterval != null && (maxReconcileInterval.isNegative() || maxReconcileInterval.isZero())) {
        throw new IllegalArgumentException("max reconcile interval must be positive, got " + maxReconcileInterval);
      }
      // PrometheusLimits checks concurrency and timeout, naming them.
      new PrometheusLimits(prometheusConcurrency, prometheusTimeout);
      if (prometheusShareWindow == null || prometheusShareWindow.isNegative()) {
        throw new IllegalArgumentException("prometheus share window must be zero (off) or positive, got " + prometheusShareWindow);
      }
      resourceSelector = resourceSelector == null || resourceSelector.isBlank() ? null : resourceSelector.trim();
    }
  }

  public OperatorSettings(String prometheusUrl, String prometheusAuthDir, Set<String> watchNamespaces,
      int port, boolean leaderElection, String leaseName, String leaseNamespace, Duration leaseDuration,
      boolean useServerSideApply, String identity) {
    this(prometheusUrl, prometheusAuthDir, watchNamespaces, port, leaderElection, leaseName, leaseNamespace,
        leaseDuration, useServerSideApply, identity, Scale.DEFAULT);
  }

  public static OperatorSettings forTests(String prometheusUrl) {
    return new OperatorSettings(prometheusUrl, null, Set.of(), -1, false, "stagegate-operator", null,
        Duration.ofSeconds(15), false, null);
  }

  public OperatorSettings withServerSideApply(boolean ssa) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, leaderElection, leaseName,
        leaseNamespace, leaseDuration, ssa, identity, scale);
  }

  public OperatorSettings withLeaderElection(String namespace, Duration duration, String identity) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, true, leaseName,
        namespace, duration, useServerSideApply, identity, scale);
  }

  public OperatorSettings withPort(int port) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, leaderElection, leaseName,
        leaseNamespace, leaseDuration, useServerSideApply, identity, scale);
  }

  public OperatorSettings withScale(Scale scale) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, leaderElection, leaseName,
        leaseNamespace, leaseDuration, useServerSideApply, identity, scale);
  }
}
