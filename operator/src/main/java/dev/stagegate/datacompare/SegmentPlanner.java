package dev.stagegate.datacompare;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The decisions of checksum bisection, kept free of SQL: which segments are equal, one-sided, small enough to
 * diff row by row or to be split again; and where to cut a range (evenly over integer keys, at row quantiles
 * for any key).
 */
final class SegmentPlanner {

  private final long rowThreshold;

  SegmentPlanner(long rowThreshold) {
    if (rowThreshold < 1) {
      throw new IllegalArgumentException("row threshold must be positive, got " + rowThreshold);
    }
    this.rowThreshold = rowThreshold;
  }

  /** Sorts the segments of one level by what their counts and checksums on both sides say. */
  Decision decide(List<KeyRange> segments, List<SegmentStats> source, List<SegmentStats> target) {
    long equalRows = 0;
    List<Segment> split = new ArrayList<>();
    List<Segment> fetch = new ArrayList<>();
    List<Segment> sourceOnly = new ArrayList<>();
    List<Segment> targetOnly = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      SegmentStats s = source.get(i);
      SegmentStats t = target.get(i);
      KeyRange range = segments.get(i);
      long rows = Math.max(s.count(), t.count());
      if (s.equals(t)) {
        equalRows += s.count();
      } else if (s.count() == 0) {
        targetOnly.add(new Segment(range, t.count()));
      } else if (t.count() == 0) {
        sourceOnly.add(new Segment(range, s.count()));
      } else if (rows > rowThreshold && !singleKey(range)) {
        split.add(new Segment(range, rows));
      } else {
        fetch.add(new Segment(range, rows));
      }
    }
    return new Decision(equalRows, split, fetch, sourceOnly, targetOnly);
  }

  /** An integer range of one key cannot be split further (its rows would be a duplicate key anyway). */
  private static boolean singleKey(KeyRange range) {
    return range.fromInclusive() != null && range.toExclusive() != null && range.fromInclusive().isInteger()
        && range.toExclusive().asLong() - range.fromInclusive().asLong() == 1;
  }

  /** {@code range} cut at the boundaries strictly inside it (duplicates and outsiders ignored), in order. */
  static List<KeyRange> cut(KeyRange range, List<Key> boundaries) {
    TreeSet<Key> inside = new TreeSet<>();
    for (Key b : boundaries) {
      if ((range.fromInclusive() == null || b.compareTo(range.fromInclusive()) > 0)
          && (range.toExclusive() == null || b.compareTo(range.toExclusive()) < 0)) {
        inside.add(b);
      }
    }
    List<KeyRange> out = new ArrayList<>();
    Key from = range.fromInclusive();
    for (Key b : inside) {
      out.add(new KeyRange(from, b));
      from = b;
    }
    out.add(new KeyRange(from, range.toExclusive()));
    return out;
  }

  /**
   * Up to {@code parts - 1} boundaries cutting {@code [first, last]} into parts of equal key width: no query
   * needed, and dense integer keys make them row quantiles too. BigInteger because the width may exceed 2^63.
   */
  static List<Key> integerBoundaries(long first, long last, int parts) {
    BigInteger lo = BigInteger.valueOf(first);
    BigInteger width = BigInteger.valueOf(last).subtract(lo).add(BigInteger.ONE);
    List<Key> out = new ArrayList<>();
    long previous = first;
    for (int i = 1; i < parts; i++) {
      long b = lo.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(parts))).longValueExact();
      if (b > previous) {
        out.add(Key.of(b));
        previous = b;
      }
    }
    return out;
  }

  /** Boundaries at the quantiles of a sample of keys: approximately equal rows per part. */
  static List<Key> sampleQuantiles(List<Key> sample, int parts) {
    List<Key> sorted = new ArrayList<>(sample);
    sorted.sort(null);
    List<Key> out = new ArrayList<>();
    for (int i = 1; i < parts && !sorted.isEmpty(); i++) {
      Key b = sorted.get((int) ((long) i * sorted.size() / parts));
      if (out.isEmpty() || out.get(out.size() - 1).compareTo(b) < 0) {
        out.add(b);
      }
    }
    return out;
  }

  /** The 1-based row numbers at which parts 2..n of {@code rows} rows cut into {@code parts} begin. */
  static long[] partStarts(long rows, int parts) {
    long n = Math.min(parts, rows);
    long[] out = new long[(int) Math.max(0, n - 1)];
    for (int j = 1; j < n; j++) {
      out[j - 1] = BigInteger.valueOf(rows).multiply(BigInteger.valueOf(j)).divide(BigInteger.valueOf(n)).longValueExact() + 1;
    }
    return out;
  }

  /**
   * Groups segments (in key order) into query batches of at most {@code maxRows} rows and {@code maxRanges}
   * ranges; adjacent segments merge into one range, so a run of neighbours costs one seek.
   */
  static List<List<KeyRange>> batches(List<Segment> segments, long maxRows, int maxRanges) {
    List<List<KeyRange>> out = new ArrayList<>();
    List<KeyRange> current = new ArrayList<>();
    long rows = 0;
    for (Segment s : segments) {
      if (!current.isEmpty() && (rows + s.rows() > maxRows || current.size() >= maxRanges)) {
        out.add(current);
        current = new ArrayList<>();
        rows = 0;
      }
      KeyRange last = current.isEmpty() ? null : current.get(current.size() - 1);
      if (last != null && last.toExclusive() != null && last.toExclusive().equals(s.range().fromInclusive())) {
        current.set(current.size() - 1, new KeyRange(last.fromInclusive(), s.range().toExclusive()));
      } else {
        current.add(s.range());
      }
      rows += s.rows();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /**
   * @param equalRows rows in segments equal on both sides
   * @param split differing segments too large to diff row by row
   * @param fetch differing segments to diff row by row
   * @param sourceOnly segments with rows on the source only (all missing)
   * @param targetOnly segments with rows on the target only (all extra)
   */
  record Decision(long equalRows, List<Segment> split, List<Segment> fetch, List<Segment> sourceOnly,
      List<Segment> targetOnly) {

    boolean done() {
      return split.isEmpty() && fetch.isEmpty() && sourceOnly.isEmpty() && targetOnly.isEmpty();
    }
  }

  /** A key range and its row count (the larger side's). */
  record Segment(KeyRange range, long rows) {}
}
