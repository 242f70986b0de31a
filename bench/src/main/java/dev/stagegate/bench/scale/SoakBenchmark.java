package dev.stagegate.bench.scale;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `make soak`: Releases and DataMigrations cycling for a bounded time under a seeded schedule of faults, the
 * operator in its own JVM on the bench's API server, fake Prometheus, fake kubelet and PostgreSQL. Prints a row
 * a minute; exits 1 when a resource was stuck or heap after GC trended upward (see {@link HeapTrend}).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Continuous rollouts and migrations with random faults: heap, stuck resources and errors over time.")
public final class SoakBenchmark implements Callable<Integer> {
  @Option(names = "--minutes", defaultValue = "30", description = "How long to run (3 to try it, 120 for two hours). Default: ${DEFAULT-VALUE}")
  int minutes;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the fault schedule and bad-canary picks. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--releases", defaultValue = "20", description = "Releases kept rolling. Default: ${DEFAULT-VALUE}")
  int releases;

  @Option(names = "--migrations", defaultValue = "5", description = "DataMigrations kept cycling. Default: ${DEFAULT-VALUE}")
  int migrations;

  @Option(names = "--stuck-after", defaultValue = "5", description = "Minutes without status progress (not final, not paused during a Prometheus fault) that make a resource stuck. Default: ${DEFAULT-VALUE}")
  int stuckAfter;

  @Option(names = "--heap", defaultValue = "256m", description = "The operator JVM's -Xmx. Default: ${DEFAULT-VALUE}")
  String heap;

  @Option(names = "--stage-duration", defaultValue = "20s", description = "Each of the 3 stages' duration. Default: ${DEFAULT-VALUE}")
  String stageDuration;

  @Option(names = "--mock", description = "Use the Fabric8 mock API server even when kube-apiserver is present")
  boolean mock;

  @Option(names = "--operator-jar", description = "The operator jar to run. Default: operator/target/stagegate-operator.jar")
  Path operatorJar = OperatorProcess.PACKAGED;

  @Option(names = "--out", defaultValue = "bench/target/soak", description = "Folder for operator logs and the table. Default: ${DEFAULT-VALUE}")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SoakBenchmark()).execute(args));
  }

  /** The fake kubelet's, job runner's and PostgreSQL's INFO lines would bury the table. */
  private static void quiet(String... loggers) {
    for (String name : loggers) {
      if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  /** Checks the options; a bad one fails naming it. */
  void validate() {
    CommandLine cl = new CommandLine(this);
    if (minutes < 1 || minutes > 24 * 60) {
      throw new CommandLine.ParameterException(cl, "--minutes: expected 1 to 1440, got " + minutes);
    }
    if (releases < 1) {
      throw new CommandLine.ParameterException(cl, "--releases: expected at least 1, got " + releases);
    }
    if (migrations < 0) {
      throw new CommandLine.ParameterException(cl, "--migrations: expected 0 or more, got " + migrations);
    }
    if (stuckAfter < 1) {
      throw new CommandLine.ParameterException(cl, "--stuck-after: expected at least 1 minute, got " + stuckAfter);
    }
    if (!heap.matches("[0-9]+[kKmMgG]")) {
      throw new CommandLine.ParameterException(cl, "--heap: expected a JVM size such as 256m, got '" + heap + "'");
    }
    if (dev.stagegate.api.common.Durations.parse(stageDuration).isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--stage-duration: expected a duration such as 20s, got '" + stageDuration + "'");
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    quiet("dev.stagegate.sandbox", "io.zonky", "dev.stagegate.testing");
    try (ApiServer api = ApiServer.start(mock); QueryEndpoint prometheus = new QueryEndpoint(10_000)) {
      System.out.println("API server: " + api.description() + "; fake Prometheus at " + prometheus.url());
      Workload.installCrds(api.client(), Path.of("crds"));
      Path kubeconfig = api.writeKubeconfig(out.resolve("kubeconfig.yaml"));
      return new SoakRun(this, api, prometheus, kubeconfig).run() ? 0 : 1;
    }
  }
}
