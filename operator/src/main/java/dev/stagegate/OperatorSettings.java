package dev.stagegate;

import java.time.Duration;
import java.util.Set;

/**
 * How one operator instance runs. Built by {@link Main} from flags and environment, or directly by tests.
 *
 * @param watchNamespaces empty = all namespaces
 * @param useServerSideApply JOSDK's default; the Fabric8 mock server cannot do it, so its tests turn it off
 * @param port metrics and health port; 0 picks a free one, negative disables the server
 */
public record OperatorSettings(String prometheusUrl, String prometheusAuthDir, Set<String> watchNamespaces,
    int port, boolean leaderElection, String leaseName, String leaseNamespace, Duration leaseDuration,
    boolean useServerSideApply, String identity) {

  public static OperatorSettings forTests(String prometheusUrl) {
    return new OperatorSettings(prometheusUrl, null, Set.of(), -1, false, "stagegate-operator", null,
        Duration.ofSeconds(15), false, null);
  }

  public OperatorSettings withServerSideApply(boolean ssa) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, leaderElection, leaseName,
        leaseNamespace, leaseDuration, ssa, identity);
  }

  public OperatorSettings withLeaderElection(String namespace, Duration duration, String identity) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, true, leaseName,
        namespace, duration, useServerSideApply, identity);
  }

  public OperatorSettings withPort(int port) {
    return new OperatorSettings(prometheusUrl, prometheusAuthDir, watchNamespaces, port, leaderElection, leaseName,
        leaseNamespace, leaseDuration, useServerSideApply, identity);
  }
}
