package dev.stagegate.datacompare;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pure part of checksum bisection: the bucket grids of each level, the decision for each bucket from
 * both sides' stats (equal, one side only, small enough to diff row by row, or split further), and how the
 * buckets are grouped into queries. No I/O here; {@link DataComparer} runs the queries.
 */
final class BisectionPlanner {

  private final BigInteger factor;
  private final long rowThreshold;
  private final int firstLevelBuckets;

  BisectionPlanner(int factor, long rowThreshold, int firstLevelBuckets) {
    if (factor < 2) {
      throw new IllegalArgumentException("bisection factor must be at least 2, got " + factor);
    }
    if (rowThreshold < 1) {
      throw new IllegalArgumentException("row threshold must be positive, got " + rowThreshold);
    }
    this.factor = BigInteger.valueOf(factor);
    this.rowThreshold = rowThreshold;
    this.firstLevelBuckets = Math.max(1, firstLevelBuckets);
  }

  /**
   * The first level: about {@code firstLevelBuckets} buckets over the span (one grouped scan whatever the
   * count, and a fine first level means fewer rescans when differences are scattered). The width is rounded
   * up to {@code m * factor^k} with {@code 1 <= m <= factor}, so every level's width divides the previous one
   * and a bucket's children are exactly buckets of the next level.
   */
  BucketGrid firstLevel(KeySpan bounds) {
    BigInteger wanted = ceilDiv(bounds.width(), BigInteger.valueOf(firstLevelBuckets));
    BigInteger power = BigInteger.ONE;
    while (power.multiply(factor).compareTo(wanted) <= 0) {
      power = power.multiply(factor);
    }
    BigInteger width = ceilDiv(wanted, power).multiply(power);
    return new BucketGrid(bounds.first(), width.signum() == 0 ? BigInteger.ONE : width);
  }

  BucketGrid nextLevel(BucketGrid grid) {
    BigInteger[] qr = grid.width().divideAndRemainder(factor);
    BigInteger next = qr[1].signum() == 0 ? qr[0] : BigInteger.ONE;
    return new BucketGrid(grid.origin(), next);
  }

  private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  /** A bucket of the current grid and the larger of its two row counts (what reading it costs). */
  record BucketRows(long bucket, long rows) {}

  /** What to do after one level, as buckets of that level's grid, ascending. */
  record Decision(
      long equalRows,
      List<BucketRows> split,
      List<BucketRows> fetch,
      List<BucketRows> sourceOnly,
      List<BucketRows> targetOnly) {

    boolean done() {
      return split.isEmpty() && fetch.isEmpty() && sourceOnly.isEmpty() && targetOnly.isEmpty();
    }
  }

  Decision decide(BucketGrid grid, Map<Long, SegmentStats> source, Map<Long, SegmentStats> target) {
    TreeSet<Long> buckets = new TreeSet<>(source.keySet());
    buckets.addAll(target.keySet());
    long equalRows = 0;
    List<BucketRows> split = new ArrayList<>();
    List<BucketRows> fetch = new ArrayList<>();
    List<BucketRows> sourceOnly = new ArrayList<>();
    List<BucketRows> targetOnly = new ArrayList<>();
    boolean finest = grid.width().equals(BigInteger.ONE);
    for (long bucket : buckets) {
      SegmentStats s = source.getOrDefault(bucket, SegmentStats.EMPTY);
      SegmentStats t = target.getOrDefault(bucket, SegmentStats.EMPTY);
      long rows = Math.max(s.count(), t.count());
      if (s.equals(t)) {
        equalRows += s.count();
      } else if (s.count() == 0) {
        targetOnly.add(new BucketRows(bucket, t.count()));
      } else if (t.count() == 0) {
        sourceOnly.add(new BucketRows(bucket, s.count()));
      } else if (finest || rows <= rowThreshold) {
        fetch.add(new BucketRows(bucket, rows));
      } else {
        split.add(new BucketRows(bucket, rows));
      }
    }
    return new Decision(equalRows, split, fetch, sourceOnly, targetOnly);
  }

  /**
   * Groups buckets (ascending) into queries. A new query starts when the next bucket is more than
   * {@code maxGapKeys} keys after the previous one (reading the gap would cost more than another query),
   * or the query would list more than {@code maxBuckets} buckets or read more than {@code maxRows} rows.
   */
  static List<BucketBatch> batches(BucketGrid grid, KeySpan bounds, List<BucketRows> buckets, long maxRows,
      int maxBuckets, long maxGapKeys) {
    List<BucketBatch> out = new ArrayList<>();
    List<Long> current = new ArrayList<>();
    long rows = 0;
    KeySpan first = null;
    KeySpan last = null;
    BigInteger gapLimit = BigInteger.valueOf(maxGapKeys);
    for (BucketRows b : buckets) {
      KeySpan span = grid.bucket(b.bucket(), bounds);
      if (!current.isEmpty()) {
        BigInteger gap = BigInteger.valueOf(span.first()).subtract(BigInteger.valueOf(last.last())).subtract(BigInteger.ONE);
        if (gap.compareTo(gapLimit) > 0 || current.size() >= maxBuckets || rows + b.rows() > maxRows) {
          out.add(batch(grid, first, last, current, rows));
          current = new ArrayList<>();
          rows = 0;
        }
      }
      if (current.isEmpty()) {
        first = span;
      }
      current.add(b.bucket());
      last = span;
      rows += b.rows();
    }
    if (!current.isEmpty()) {
      out.add(batch(grid, first, last, current, rows));
    }
    return out;
  }

  private static BucketBatch batch(BucketGrid grid, KeySpan first, KeySpan last, List<Long> buckets, long rows) {
    boolean contiguous = buckets.get(buckets.size() - 1) - buckets.get(0) == buckets.size() - 1;
    long[] listed = contiguous ? null : buckets.stream().mapToLong(Long::longValue).toArray();
    return new BucketBatch(grid, new KeySpan(first.first(), last.last()), listed, rows);
  }
}
