package dev.stagegate.bench.scale;

import java.util.List;
import java.util.Locale;

/** The steady run's output: heap after GC per minute, and its trend after a warm-up. */
final class SteadyTable {
  /** Samples before this minute are warm-up (caches filling, the JIT), left out of the trend. */
  static final int WARM_UP_MINUTES = 5;

  record Sample(int minute, long heapBytes, long rssBytes, int rounds, double reconciles, double load) {
  }

  private SteadyTable() {}

  static String row(Sample s) {
    return String.format(Locale.ROOT, "| %6d | %8.1f | %8.0f | %6d | %10.0f | %5.1f |", s.minute(), s.heapBytes() / 1048576.0,
        s.rssBytes() / 1048576.0, s.rounds(), s.reconciles(), s.load());
  }

  static String render(int n, List<Sample> samples) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Steady run, N=%d Releases + %d DataMigrations, heap after full GC:%n", n, n / 5));
    out.append("| minute | heap MB  | RSS MB   | rounds | reconciles | load  |\n");
    out.append("|--------|----------|----------|--------|------------|-------|\n");
    samples.forEach(s -> out.append(row(s)).append('\n'));
    out.append(trend(samples)).append('\n');
    return out.toString();
  }

  /** Least-squares slope of heap over minutes after the warm-up, and the first vs last such sample. */
  static String trend(List<Sample> samples) {
    List<Sample> steady = samples.stream().filter(s -> s.minute() >= WARM_UP_MINUTES && s.heapBytes() > 0).toList();
    if (steady.size() < 3) {
      return "Trend: too few samples after the " + WARM_UP_MINUTES + "-minute warm-up (" + steady.size() + ")";
    }
    double mx = steady.stream().mapToDouble(Sample::minute).average().orElseThrow();
    double my = steady.stream().mapToDouble(s -> s.heapBytes() / 1048576.0).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Sample s : steady) {
      sxy += (s.minute() - mx) * (s.heapBytes() / 1048576.0 - my);
      sxx += (s.minute() - mx) * (s.minute() - mx);
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    Sample a = steady.get(0);
    Sample b = steady.get(steady.size() - 1);
    return String.format(Locale.ROOT, "Trend from minute %d to %d: %+.2f MB/min (least squares; mean %.1f MB), heap %.1f -> %.1f MB",
        a.minute(), b.minute(), slope, my, a.heapBytes() / 1048576.0, b.heapBytes() / 1048576.0);
  }
}
