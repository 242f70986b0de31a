package dev.stagegate.bench.scale;

import java.util.List;
import java.util.Locale;

/**
 * Whether heap after GC grows with time: the least-squares slope (MB per minute) of the samples taken after
 * the warm-up (the first third of the run, at least 5 minutes: caches, informers and JIT fill up then). It is
 * judged upward when that slope, carried over the judged span, adds more than 10% of the span's mean heap and
 * more than 4 MB. Fewer than 5 judged samples: not judged (a short run shows the table, not a trend).
 */
record HeapTrend(boolean judged, double slopeMbPerMinute, double meanMb, int samples, int warmUpMinutes) {
  static final int MIN_SAMPLES = 5;

  /** {@code heapMb}: heap after GC per minute, index = minute; negative entries (jcmd failed) are skipped. */
  static HeapTrend of(List<Double> heapMb, int runMinutes) {
    int warmUp = Math.max(5, runMinutes / 3);
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int minute = warmUp; minute < heapMb.size(); minute++) {
      double y = heapMb.get(minute);
      if (y < 0) {
        continue;
      }
      n++;
      sx += minute;
      sy += y;
      sxx += (double) minute * minute;
      sxy += minute * y;
    }
    if (n < MIN_SAMPLES) {
      return new HeapTrend(false, 0, n == 0 ? 0 : sy / n, (int) n, warmUp);
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return new HeapTrend(true, slope, sy / n, (int) n, warmUp);
  }

  boolean upward() {
    double added = slopeMbPerMinute * samples;
    return judged && added > 0.10 * meanMb && added > 4;
  }

  String describe() {
    if (!judged) {
      return String.format(Locale.ROOT, "not judged (%d samples after the %d-minute warm-up; %d needed)", samples,
          warmUpMinutes, MIN_SAMPLES);
    }
    return String.format(Locale.ROOT, "%+.2f MB/min over %d samples after a %d-minute warm-up (mean %.1f MB): %s",
        slopeMbPerMinute, samples, warmUpMinutes, meanMb, upward() ? "UPWARD" : "flat");
  }
}
