package dev.stagegate.bench.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * `--steady 30m`: N Releases rolled out again and again for a fixed time (each round moves every Release to the
 * next version once all finished the last), the N/5 DataMigrations run in the first round and then sit
 * finished, and the operator's heap after a full GC sampled every minute. What it shows is whether memory
 * grows with time at a constant number of resources (Argo Rollouts#4571: 140 MiB to 8.8 GB over 127 days).
 */
final class SteadyRun {
  private SteadyRun() {}

  static List<SteadyTable.Sample> run(ApiServer api, QueryEndpoint prometheus, Path kubeconfig, int n, Duration length,
      Duration sampleEvery, String heap, String stageDuration, Path out, Path jar) throws Exception {
    String namespace = "steady-" + n + "-" + ProcessHandle.current().pid() % 10_000;
    List<SteadyTable.Sample> samples = new ArrayList<>();
    try (Workload workload = new Workload(api.client(), namespace, n, 1, stageDuration);
        OperatorProcess operator = OperatorProcess.start(kubeconfig, prometheus.url(), heap, null,
            out.resolve("operator-steady-" + n + ".log"), false, jar)) {
      workload.prepare();
      while (!workload.releaseProgress().finished()) {
        OperatorProcess.sleep(2_000);
      }
      System.out.printf(Locale.ROOT, "steady N=%d: %d Releases at v1; rolling for %s, heap after GC every %s%n", n, n,
          length, sampleEvery);
      long start = System.nanoTime();
      int version = 2;
      int rounds = 0;
      workload.startRollout();
      long nextSample = start;
      ReconcileReading first = ReconcileReading.of(operator.scrape());
      while (System.nanoTime() - start < length.toNanos()) {
        if (workload.releaseProgress().finished()) {
          rounds++;
          version++;
          workload.rollReleasesTo("v" + version);
        }
        long now = System.nanoTime();
        if (now >= nextSample) {
          // Labelled by when it was taken: a slow round of patches can push a sample past its minute.
          int minute = (int) ((now - start) / 60_000_000_000L);
          SteadyTable.Sample s = new SteadyTable.Sample(minute, ProcessProbe.heapAfterGc(operator.pid()), operator.peakRss(),
              rounds, ReconcileReading.of(operator.scrape()).countSince(first), ProcessProbe.loadAverage());
          samples.add(s);
          System.out.println(SteadyTable.row(s));
          // The next whole interval after now: samples missed while busy are skipped, not taken back to back.
          nextSample = start + ((now - start) / sampleEvery.toNanos() + 1) * sampleEvery.toNanos();
        }
        OperatorProcess.sleep(2_000);
      }
    }
    String table = SteadyTable.render(n, samples);
    Files.createDirectories(out);
    Files.writeString(out.resolve("steady-" + n + ".md"), table);
    return samples;
  }
}
