package dev.stagegate.bench.scale;

/** One N's figures; -1 where a figure could not be read. */
record ScaleRow(int n, int shards, boolean allFinished, String finishedCounts, double seconds, double reconcilesPerSecond,
    double p50Millis, double p99Millis, long reconcileErrors, double apiRequestsPerSecond, double apiPerReconcile,
    double queriesIssuedPerWindow, double queriesDistinctPerWindow, long peakHeapBytes, long peakRssBytes,
    double cpuSeconds, long reconciledByBoth, double loadAverage) {

  double heapMbPerRelease() {
    return peakHeapBytes < 0 ? -1 : peakHeapBytes / 1048576.0 / n;
  }

  double rssMbPerRelease() {
    return peakRssBytes < 0 ? -1 : peakRssBytes / 1048576.0 / n;
  }

  double apiRequests() {
    return apiRequestsPerSecond * seconds;
  }
}
