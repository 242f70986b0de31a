package dev.stagegate.datacompare;

import java.time.Duration;

/**
 * Tuning of a comparison.
 *
 * @param bisectionFactor children per split segment; default 32
 * @param firstLevelSegments at most how many segments the first level divides the range into; default 4,096
 *     (fewer for small ranges: about two per {@code rowThreshold} rows): fine enough that scattered differences
 *     are mostly located by the first grouped scan, small enough for PostgreSQL to aggregate in its parallel
 *     workers within the default work_mem
 * @param rowThreshold a differing segment with at most this many rows (larger side) is diffed row by row; default 1,000
 * @param fetchBatchRows rows fetched per row-hash query at most (bounds memory); default 200,000
 * @param maxRangesPerQuery key ranges one query covers at most where each range is its own index seek
 *     (UNION ALL arms); one-scan queries over non-seekable keys take up to 4,096; default 256
 * @param sampleLimit sample keys kept per kind of difference (smallest keys); default 10
 * @param queryTimeout statement timeout of every query; default 10 minutes
 * @param portableOnly never use {@link ChecksumMode#POSTGRES_NATIVE}, even between two PostgreSQL 14+ tables
 * @param wholeRangeFirst first compare count and checksum of the whole range (one aggregate a side, the floor):
 *     identical ranges, the common case, are then done without grouping; default true
 */
public record CompareOptions(
    int bisectionFactor,
    int firstLevelSegments,
    long rowThreshold,
    long fetchBatchRows,
    int maxRangesPerQuery,
    int sampleLimit,
    Duration queryTimeout,
    boolean portableOnly,
    boolean wholeRangeFirst) {

  public CompareOptions {
    if (bisectionFactor < 2) {
      throw new IllegalArgumentException("bisectionFactor must be at least 2");
    }
    if (firstLevelSegments < 1 || rowThreshold < 1 || fetchBatchRows < 1 || maxRangesPerQuery < 1 || sampleLimit < 0) {
      throw new IllegalArgumentException(
          "firstLevelSegments, rowThreshold, fetchBatchRows, maxRangesPerQuery must be positive, sampleLimit >= 0");
    }
    if (queryTimeout == null || queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("queryTimeout must be positive");
    }
  }

  public static CompareOptions defaults() {
    return new CompareOptions(32, 4_096, 1_000, 200_000, 256, 10, Duration.ofMinutes(10), false, true);
  }

  public CompareOptions withBisectionFactor(int factor) {
    return new CompareOptions(factor, firstLevelSegments, rowThreshold, fetchBatchRows, maxRangesPerQuery,
        sampleLimit, queryTimeout, portableOnly, wholeRangeFirst);
  }

  public CompareOptions withFirstLevelSegments(int segments) {
    return new CompareOptions(bisectionFactor, segments, rowThreshold, fetchBatchRows, maxRangesPerQuery,
        sampleLimit, queryTimeout, portableOnly, wholeRangeFirst);
  }

  public CompareOptions withRowThreshold(long rows) {
    return new CompareOptions(bisectionFactor, firstLevelSegments, rows, fetchBatchRows, maxRangesPerQuery,
        sampleLimit, queryTimeout, portableOnly, wholeRangeFirst);
  }

  public CompareOptions withMaxRangesPerQuery(int ranges) {
    return new CompareOptions(bisectionFactor, firstLevelSegments, rowThreshold, fetchBatchRows, ranges,
        sampleLimit, queryTimeout, portableOnly, wholeRangeFirst);
  }

  public CompareOptions withSampleLimit(int limit) {
    return new CompareOptions(bisectionFactor, firstLevelSegments, rowThreshold, fetchBatchRows, maxRangesPerQuery,
        limit, queryTimeout, portableOnly, wholeRangeFirst);
  }

  public CompareOptions withQueryTimeout(Duration timeout) {
    return new CompareOptions(bisectionFactor, firstLevelSegments, rowThreshold, fetchBatchRows, maxRangesPerQuery,
        sampleLimit, timeout, portableOnly, wholeRangeFirst);
  }

  public CompareOptions withPortableOnly(boolean portable) {
    return new CompareOptions(bisectionFactor, firstLevelSegments, rowThreshold, fetchBatchRows, maxRangesPerQuery,
        sampleLimit, queryTimeout, portable, wholeRangeFirst);
  }

  public CompareOptions withWholeRangeFirst(boolean first) {
    return new CompareOptions(bisectionFactor, firstLevelSegments, rowThreshold, fetchBatchRows, maxRangesPerQuery,
        sampleLimit, queryTimeout, portableOnly, first);
  }

  int timeoutSeconds() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, queryTimeout.toSeconds()));
  }
}
