package dev.stagegate.bench.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `make bench-scale`: N Releases and N/5 DataMigrations driven by the operator in its own JVM, against the real
 * kube-apiserver (or the mock server), a fake kubelet, an instant fake Prometheus and an embedded PostgreSQL.
 * Prints one row per N. Figures are reported, never asserted.
 */
@Command(name = "bench-scale", mixinStandardHelpOptions = true,
    description = "How the operator's time, memory, CPU, API and Prometheus traffic grow with the number of resources.")
public final class ScaleBenchmark implements Callable<Integer> {
  @Option(names = "--n", split = ",", defaultValue = "100,1000,5000", description = "Release counts, comma-separated. Default: ${DEFAULT-VALUE}")
  List<Integer> sizes;

  @Option(names = "--heap", defaultValue = "512m", description = "The operator JVM's -Xmx. Default: ${DEFAULT-VALUE}")
  String heap;

  @Option(names = "--shards", defaultValue = "1", description = "1, or 2 operator JVMs each owning half the resources by label selector. Default: ${DEFAULT-VALUE}")
  int shards;

  @Option(names = "--stage-duration", defaultValue = "30s", description = "Each of the 3 stages' duration. Default: ${DEFAULT-VALUE}")
  String stageDuration;

  @Option(names = "--timeout", defaultValue = "30m", description = "Give up on an N after this long (the row then says NOT all). Default: ${DEFAULT-VALUE}")
  String timeout;

  @Option(names = "--mock", description = "Use the Fabric8 mock API server even when kube-apiserver is present")
  boolean mock;

  @Option(names = "--jfr", description = "Record the operator with JDK Flight Recorder (profile settings) next to its log")
  boolean jfr;

  @Option(names = "--operator-jar", description = "The operator jar to run (e.g. a build of main, for a before/after comparison). Default: operator/target/stagegate-operator.jar")
  Path operatorJar = OperatorProcess.PACKAGED;

  @Option(names = "--steady", description = "Instead of the table: roll the first --n size's Releases out again and again for this long, heap after GC sampled every minute (e.g. 30m)")
  String steady;

  @Option(names = "--out", defaultValue = "bench/target/scale", description = "Folder for operator logs and the table. Default: ${DEFAULT-VALUE}")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleBenchmark()).execute(args));
  }

  /** Checks the options; a bad one fails naming it. */
  void validate() {
    CommandLine cl = new CommandLine(this);
    if (shards != 1 && shards != 2) {
      throw new CommandLine.ParameterException(cl, "--shards: expected 1 or 2, got " + shards);
    }
    for (int n : sizes) {
      if (n < 5) {
        throw new CommandLine.ParameterException(cl, "--n: each size must be at least 5 (N/5 DataMigrations), got " + n);
      }
    }
    if (dev.stagegate.api.common.Durations.parse(stageDuration).isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--stage-duration: expected a duration such as 30s, got '" + stageDuration + "'");
    }
    if (dev.stagegate.api.common.Durations.parse(timeout).isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--timeout: expected a duration such as 30m, got '" + timeout + "'");
    }
    if (steady != null && dev.stagegate.api.common.Durations.parse(steady).isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--steady: expected a duration such as 30m, got '" + steady + "'");
    }
    if (!heap.matches("[0-9]+[kKmMgG]")) {
      throw new CommandLine.ParameterException(cl, "--heap: expected a JVM size such as 512m, got '" + heap + "'");
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Duration limit = dev.stagegate.api.common.Durations.parse(timeout).orElseThrow();
    List<ScaleRow> rows = new ArrayList<>();
    try (ApiServer api = ApiServer.start(mock); QueryEndpoint prometheus = new QueryEndpoint(10_000)) {
      System.out.println("API server: " + api.description() + "; fake Prometheus at " + prometheus.url());
      Workload.installCrds(api.client(), Path.of("crds"));
      Path kubeconfig = api.writeKubeconfig(out.resolve("kubeconfig.yaml"));
      // The API server's own background requests (leases, controllers of its own) are not the operator's.
      long idle0 = api.serverRequests() - api.ownRequests();
      OperatorProcess.sleep(5_000);
      double idlePerSecond = Math.max(0, (api.serverRequests() - api.ownRequests() - idle0) / 5.0);
      if (steady != null) {
        List<SteadyTable.Sample> samples = SteadyRun.run(api, prometheus, kubeconfig, sizes.get(0),
            dev.stagegate.api.common.Durations.parse(steady).orElseThrow(), Duration.ofMinutes(1), heap, stageDuration,
            out, operatorJar);
        System.out.println(SteadyTable.render(sizes.get(0), samples));
        return 0;
      }
      for (int n : sizes) {
        rows.add(run(api, prometheus, kubeconfig, n, limit, idlePerSecond));
        System.out.println(ScaleTable.render(rows));
      }
    }
    String table = ScaleTable.render(rows);
    Files.createDirectories(out);
    Files.writeString(out.resolve("table.md"), table);
    System.out.println(table);
    return 0;
  }

  private ScaleRow run(ApiServer api, QueryEndpoint prometheus, Path kubeconfig, int n, Duration limit,
      double idlePerSecond) throws Exception {
    String namespace = "bench-" + n + "-" + shards + "-" + ProcessHandle.current().pid() % 10_000;
    List<OperatorProcess> operators = new ArrayList<>();
    try (Workload workload = new Workload(api.client(), namespace, n, shards, stageDuration)) {
      for (int s = 0; s < shards; s++) {
        String selector = shards > 1 ? "stagegate.dev/shard=" + (s == 0 ? "a" : "b") : null;
        operators.add(OperatorProcess.start(kubeconfig, prometheus.url(), heap, selector,
            out.resolve("operator-" + n + "-" + s + ".log"), jfr, operatorJar));
      }
      long t0 = System.nanoTime();
      workload.prepare();
      while (!workload.releaseProgress().finished() && System.nanoTime() - t0 < limit.toNanos()) {
        OperatorProcess.sleep(2_000);
      }
      System.out.printf(Locale.ROOT, "N=%d: %d Releases at v1 in %.0f s (not measured); rolling out v2 and %d DataMigrations%n",
          n, n, (System.nanoTime() - t0) / 1e9, workload.migrations());
      List<ReconcileReading> before = new ArrayList<>();
      double cpuBefore = 0;
      for (OperatorProcess o : operators) {
        before.add(ReconcileReading.of(o.scrape()));
        cpuBefore += o.cpuSeconds();
      }
      prometheus.reset();
      long serverBefore = api.serverRequests();
      long ownBefore = api.ownRequests();
      long start = System.nanoTime();
      workload.startRollout();
      double peakLoad = ProcessProbe.loadAverage();
      long lastHeapSample = 0;
      Workload.Progress releases;
      Workload.Progress migrations;
      while (true) {
        releases = workload.releaseProgress();
        migrations = workload.migrationProgress();
        if ((releases.finished() && migrations.finished()) || System.nanoTime() - start > limit.toNanos()) {
          break;
        }
        if (System.nanoTime() - lastHeapSample > 20e9) {
          operators.forEach(OperatorProcess::sampleHeap);
          lastHeapSample = System.nanoTime();
          peakLoad = Math.max(peakLoad, ProcessProbe.loadAverage());
        }
        OperatorProcess.sleep(2_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long serverRequests = api.serverRequests() - serverBefore;
      long own = api.ownRequests() - ownBefore;
      double operatorRequests = Math.max(0, serverRequests - own - idlePerSecond * seconds);
      operators.forEach(OperatorProcess::sampleHeap);
      double reconciles = 0;
      double failed = 0;
      double p50 = -1;
      double p99 = -1;
      long heapPeak = 0;
      long rssPeak = 0;
      double cpu = -cpuBefore;
      List<Set<String>> reconciledBy = new ArrayList<>();
      for (int i = 0; i < operators.size(); i++) {
        OperatorProcess o = operators.get(i);
        String scraped = o.scrape();
        Files.writeString(out.resolve("metrics-" + n + "-" + i + ".txt"), scraped); // for a closer look
        ReconcileReading after = ReconcileReading.of(scraped);
        reconciles += after.countSince(before.get(i));
        failed += after.failedSince(before.get(i));
        // With two shards the slower one's percentiles are reported.
        p50 = Math.max(p50, after.quantileMillisSince(before.get(i), 0.50));
        p99 = Math.max(p99, after.quantileMillisSince(before.get(i), 0.99));
        heapPeak += o.peakHeap();
        rssPeak += o.peakRss();
        cpu += o.cpuSeconds();
        reconciledBy.add(after.resources());
      }
      long both = 0;
      if (reconciledBy.size() == 2) {
        Set<String> common = new HashSet<>(reconciledBy.get(0));
        common.retainAll(reconciledBy.get(1));
        both = common.size();
      }
      QueryEndpoint.Counts queries = prometheus.counts();
      String counts = (releases.done() + migrations.done()) + "/" + (releases.total() + migrations.total());
      boolean allGood = releases.good() == releases.total() && migrations.good() == migrations.total();
      System.out.printf(Locale.ROOT, "N=%d: releases %s, migrations %s; server requests %d, benchmark's own %d, idle %.1f/s;"
          + " queries %s%n", n, releases, migrations, serverRequests, own, idlePerSecond, queries);
      workload.badOutcomes().forEach((why, count) -> System.out.printf(Locale.ROOT, "N=%d: %d x %s%n", n, count, why));
      return new ScaleRow(n, shards, allGood, counts, seconds, reconciles / seconds, p50, p99, Math.round(failed),
          operatorRequests / seconds, reconciles == 0 ? -1 : operatorRequests / reconciles, queries.issuedPerWindow(),
          queries.distinctPerWindow(), heapPeak, rssPeak, cpu, both, peakLoad);
    } finally {
      operators.forEach(OperatorProcess::close);
    }
  }
}
