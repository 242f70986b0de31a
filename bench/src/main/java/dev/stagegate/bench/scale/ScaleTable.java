package dev.stagegate.bench.scale;

import java.util.List;
import java.util.Locale;

/** The benchmark's output: one row per N, the 1,000 → 5,000 growth line, and the anchors from other tools. */
final class ScaleTable {
  static final String ANCHORS = """
      Anchors (other tools, as reported by their users; not measured here):
        Argo Rollouts: 11-14 GB controller memory at 11-13k Rollouts (~1 MB/Rollout, argoproj/argo-rollouts#2855);
                       16 GiB request at 10k Rollouts and restarts (#3112); leader memory 140 MiB -> 8.8 GB over
                       127 days with 25 Rollouts (#4571).
        Flagger:       ~50 canaries slowed each canary from ~5 to 30+ minutes (fluxcd/flagger#638).
      Aims at N=1,000: p99 reconcile <= 100 ms, <= 0.25 MB heap/Release, <= 2 API requests/reconcile,
      queries issued = distinct per interval, growth 1,000 -> 5,000 within 6x for time and memory.
      """;

  private ScaleTable() {}

  static String render(List<ScaleRow> rows) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "| %6s | %6s | %-13s | %7s | %7s | %7s | %7s | %6s | %7s | %7s | %-13s | %8s | %8s | %8s | %8s | %7s | %5s | %5s |%n",
        "N", "shards", "finished", "time s", "rec/s", "p50 ms", "p99 ms", "errors", "API/s", "API/rec",
        "queries/10s", "heap MB", "MB/rel", "RSS MB", "RSS/rel", "CPU s", "both", "load"));
    out.append("|--------|--------|---------------|---------|---------|---------|---------|--------|---------|---------|---------------|----------|----------|----------|----------|---------|-------|-------|\n");
    for (ScaleRow r : rows) {
      out.append(String.format(Locale.ROOT, "| %6d | %6d | %-13s | %7.0f | %7.1f | %7s | %7s | %6d | %7.1f | %7.2f | %-13s | %8s | %8s | %8s | %8s | %7.1f | %5s | %5.1f |%n",
          r.n(), r.shards(), (r.allFinished() ? "all " : "NOT ") + r.finishedCounts(), r.seconds(), r.reconcilesPerSecond(),
          num(r.p50Millis(), 1), num(r.p99Millis(), 1), r.reconcileErrors(), r.apiRequestsPerSecond(), r.apiPerReconcile(),
          String.format(Locale.ROOT, "%.1f / %.1f", r.queriesIssuedPerWindow(), r.queriesDistinctPerWindow()),
          mb(r.peakHeapBytes()), num(r.heapMbPerRelease(), 3), mb(r.peakRssBytes()), num(r.rssMbPerRelease(), 3),
          r.cpuSeconds(), r.shards() > 1 ? Long.toString(r.reconciledByBoth()) : "-", r.loadAverage()));
    }
    out.append("queries/10s = Prometheus queries per 10 s check window, issued / distinct (query + credentials).\n");
    growth(rows, out);
    out.append(ANCHORS);
    return out.toString();
  }

  private static void growth(List<ScaleRow> rows, StringBuilder out) {
    ScaleRow small = rows.stream().filter(r -> r.n() == 1000).findFirst().orElse(null);
    ScaleRow big = rows.stream().filter(r -> r.n() == 5000 && small != null && r.shards() == small.shards()).findFirst().orElse(null);
    if (small == null || big == null) {
      out.append("Growth 1,000 -> 5,000: not measured in this run (needs both N=1000 and N=5000).\n");
      return;
    }
    out.append(String.format(Locale.ROOT, "Growth 1,000 -> 5,000 (linear = 5x): time %.1fx, heap %.1fx, RSS %.1fx, API calls %.1fx%n",
        big.seconds() / small.seconds(), (double) big.peakHeapBytes() / small.peakHeapBytes(),
        (double) big.peakRssBytes() / small.peakRssBytes(), big.apiRequests() / small.apiRequests()));
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }

  private static String num(double v, int decimals) {
    return v < 0 || Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
