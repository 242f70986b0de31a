package dev.stagegate.datacompare;

import java.time.Duration;

/**
 * Tuning of a comparison.
 *
 * @param bisectionFactor children per split segment; default 32
 * @param firstLevelBuckets about how many buckets the first grouped query divides the range into; default 4,096:
 *     fine enough that scattered differences are mostly located by the first scan, and small enough that
 *     PostgreSQL's hash table (~650 bytes a bucket) fits the default 4 MB work_mem, so it aggregates in its
 *     parallel workers instead of spilling or aggregating in one process
 * @param rowThreshold a differing segment with at most this many rows (larger side) is diffed row by row; default 1,000
 * @param fetchBatchRows rows fetched per row-hash query at most (bounds memory: 16 bytes a row a side); default 200,000
 * @param maxBucketsPerQuery buckets listed in one query at most (a hashed IN-list); default 4096
 * @param maxGapKeys buckets closer than this many keys share one query (reading the gap is cheaper than
 *     another round trip); default 32,768
 * @param sampleLimit sample keys kept per kind of difference (smallest keys); default 10
 * @param queryTimeout statement timeout of every query; default 10 minutes
 * @param portableOnly never use {@link ChecksumMode#POSTGRES_NATIVE}, even between two PostgreSQL 14+ tables
 */
public record CompareOptions(
    int bisectionFactor,
    int firstLevelBuckets,
    long rowThreshold,
    long fetchBatchRows,
    int maxBucketsPerQuery,
    long maxGapKeys,
    int sampleLimit,
    Duration queryTimeout,
    boolean portableOnly) {

  public CompareOptions {
    if (bisectionFactor < 2) {
      throw new IllegalArgumentException("bisectionFactor must be at least 2");
    }
    if (firstLevelBuckets < 1 || rowThreshold < 1 || fetchBatchRows < 1 || maxBucketsPerQuery < 1 || maxGapKeys < 0 || sampleLimit < 0) {
      throw new IllegalArgumentException("firstLevelBuckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery must be positive, sampleLimit >= 0");
    }
    if (queryTimeout == null || queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("queryTimeout must be positive");
    }
  }

  public static CompareOptions defaults() {
    return new CompareOptions(32, 4_096, 1_000, 200_000, 4096, 32_768, 10, Duration.ofMinutes(10), false);
  }

  public CompareOptions withBisectionFactor(int factor) {
    return new CompareOptions(factor, firstLevelBuckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery, maxGapKeys, sampleLimit, queryTimeout, portableOnly);
  }

  public CompareOptions withFirstLevelBuckets(int buckets) {
    return new CompareOptions(bisectionFactor, buckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery, maxGapKeys, sampleLimit, queryTimeout, portableOnly);
  }

  public CompareOptions withRowThreshold(long rows) {
    return new CompareOptions(bisectionFactor, firstLevelBuckets, rows, fetchBatchRows, maxBucketsPerQuery, maxGapKeys, sampleLimit, queryTimeout, portableOnly);
  }

  public CompareOptions withMaxGapKeys(long keys) {
    return new CompareOptions(bisectionFactor, firstLevelBuckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery, keys, sampleLimit, queryTimeout, portableOnly);
  }

  public CompareOptions withSampleLimit(int limit) {
    return new CompareOptions(bisectionFactor, firstLevelBuckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery, maxGapKeys, limit, queryTimeout, portableOnly);
  }

  public CompareOptions withQueryTimeout(Duration timeout) {
    return new CompareOptions(bisectionFactor, firstLevelBuckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery, maxGapKeys, sampleLimit, timeout, portableOnly);
  }

  public CompareOptions withPortableOnly(boolean portable) {
    return new CompareOptions(bisectionFactor, firstLevelBuckets, rowThreshold, fetchBatchRows, maxBucketsPerQuery, maxGapKeys, sampleLimit, queryTimeout, portable);
  }

  int timeoutSeconds() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, queryTimeout.toSeconds()));
  }
}
