package dev.stagegate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real part a test tier needs (Prometheus, MariaDB, helm, kube-apiserver...).
 *
 * <p>Under {@code CI=true} a missing part fails the test: CI must prove the feature against the
 * real thing, never skip it. On a developer machine the test is skipped with one clear line.
 */
public final class RealComponent {

  private RealComponent() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Returns the executable, or fails (CI) / skips (elsewhere) naming what is missing and how to get it. */
  public static Path require(String what, Optional<Path> found, String howToGet) {
    if (found.isPresent()) {
      return found.get();
    }
    String message = what + " is missing: " + howToGet;
    if (inCi()) {
      Assertions.fail("CI=true and " + message);
    }
    Assumptions.abort("skipped, " + message);
    throw new IllegalStateException("unreachable");
  }

  /** The first of the given paths that is an executable file. */
  public static Optional<Path> executable(Path... candidates) {
    for (Path candidate : candidates) {
      if (candidate != null && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static Path prometheus() {
    return require("prometheus", executable(Path.of("/usr/bin/prometheus")),
        "run `make test` (it installs Debian's prometheus package) or `apt-get install prometheus`");
  }

  public static Path promtool() {
    return require("promtool", executable(Path.of("/usr/bin/promtool")),
        "run `make test` (it installs Debian's prometheus package) or `apt-get install prometheus`");
  }

  public static Path helm() {
    return require("helm", executable(RepoPaths.tools().resolve("bin/helm")),
        "run `scripts/kube-tools.sh` (called by `make test`)");
  }

  public static Path kubectl() {
    return require("kubectl", executable(RepoPaths.tools().resolve("bin/kubectl")),
        "run `scripts/kube-tools.sh` (called by `make test`)");
  }

  /** The Prometheus Operator's ServiceMonitor and PrometheusRule CRDs (a folder of YAML files). */
  public static Path monitoringCrds() {
    Path dir = RepoPaths.tools().resolve("monitoring-crds");
    Optional<Path> found = java.nio.file.Files.isRegularFile(dir.resolve("monitoring.coreos.com_servicemonitors.yaml"))
        && java.nio.file.Files.isRegularFile(dir.resolve("monitoring.coreos.com_prometheusrules.yaml"))
        ? Optional.of(dir) : Optional.empty();
    return require("the Prometheus Operator CRDs", found, "run `scripts/monitoring-crds.sh` (called by `make test`)");
  }

  public static Path mariadbd() {
    return require("mariadbd", executable(Path.of("/usr/sbin/mariadbd"), Path.of("/usr/sbin/mysqld")),
        "run `make test` (it installs Debian's mariadb-server package) or `apt-get install mariadb-server`");
  }

  public static Path mariadbInstallDb() {
    return require("mariadb-install-db", executable(Path.of("/usr/bin/mariadb-install-db"), Path.of("/usr/bin/mysql_install_db")),
        "run `make test` (it installs Debian's mariadb-server package) or `apt-get install mariadb-server`");
  }

  /** The Gateway API CRDs (standard channel) that scripts/gateway.sh fetches into ~/.stagegate. */
  public static Path gatewayApiCrds() {
    return require("the Gateway API " + dev.stagegate.sandbox.GatewayApiCrds.VERSION + " CRDs",
        dev.stagegate.sandbox.GatewayApiCrds.directory(), "run `scripts/gateway.sh` (called by `make test`)");
  }

  /** Traefik, the network namespace and the CRDs the real-gateway tier needs, or why they are missing. */
  public static void gatewayStack() {
    dev.stagegate.sandbox.GatewayStack.unavailableReason().ifPresent(reason -> require("the gateway tier",
        Optional.empty(), reason));
  }
}
