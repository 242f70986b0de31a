package dev.stagegate.datacompare;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pure part of checksum bisection: given the per-bucket stats of both sides, decide which buckets
 * are equal, which belong to one side only, which are small enough to diff row by row, and which to
 * split further. No I/O here; {@link DataComparer} runs the queries.
 */
final class BisectionPlanner {

  private final BigInteger factor;
  private final long rowThreshold;

  BisectionPlanner(int factor, long rowThreshold) {
    if (factor < 2) {
      throw new IllegalArgumentException("bisection factor must be at least 2, got " + factor);
    }
    if (rowThreshold < 1) {
      throw new IllegalArgumentException("row threshold must be positive, got " + rowThreshold);
    }
    this.factor = BigInteger.valueOf(factor);
    this.rowThreshold = rowThreshold;
  }

  /**
   * Width of the first level: the largest power of the factor that still gives at least {@code factor}
   * buckets, so the first level has between factor and factor² buckets (one grouped scan either way).
   */
  BucketGrid firstLevel(KeySpan bounds) {
    BigInteger width = BigInteger.ONE;
    BigInteger span = bounds.width();
    while (width.multiply(factor).multiply(factor).compareTo(span) <= 0) {
      width = width.multiply(factor);
    }
    return new BucketGrid(bounds.first(), width);
  }

  BucketGrid nextLevel(BucketGrid grid) {
    BigInteger next = grid.width().divide(factor);
    return new BucketGrid(grid.origin(), next.signum() == 0 ? BigInteger.ONE : next);
  }

  /** A span with the larger of its two row counts (what fetching it costs). */
  record Weighted(KeySpan span, long rows) {}

  /** What to do after one level. Spans are sorted and adjacent ones merged. */
  record Decision(
      long equalRows,
      List<KeySpan> split,
      List<Weighted> fetch,
      List<Weighted> sourceOnly,
      List<Weighted> targetOnly) {

    boolean done() {
      return split.isEmpty() && fetch.isEmpty() && sourceOnly.isEmpty() && targetOnly.isEmpty();
    }
  }

  Decision decide(
      BucketGrid grid, KeySpan bounds, Map<Long, SegmentStats> source, Map<Long, SegmentStats> target) {
    TreeSet<Long> buckets = new TreeSet<>(source.keySet());
    buckets.addAll(target.keySet());
    long equalRows = 0;
    List<KeySpan> split = new ArrayList<>();
    List<Weighted> fetch = new ArrayList<>();
    List<Weighted> sourceOnly = new ArrayList<>();
    List<Weighted> targetOnly = new ArrayList<>();
    boolean finest = grid.width().equals(BigInteger.ONE);
    for (long bucket : buckets) {
      SegmentStats s = source.getOrDefault(bucket, SegmentStats.EMPTY);
      SegmentStats t = target.getOrDefault(bucket, SegmentStats.EMPTY);
      KeySpan span = grid.bucket(bucket, bounds);
      if (s.equals(t)) {
        equalRows += s.count();
      } else if (s.count() == 0) {
        targetOnly.add(new Weighted(span, t.count()));
      } else if (t.count() == 0) {
        sourceOnly.add(new Weighted(span, s.count()));
      } else if (finest || Math.max(s.count(), t.count()) <= rowThreshold) {
        fetch.add(new Weighted(span, Math.max(s.count(), t.count())));
      } else {
        split.add(span);
      }
    }
    return new Decision(equalRows, coalesce(split), coalesceWeighted(fetch),
        coalesceWeighted(sourceOnly), coalesceWeighted(targetOnly));
  }

  /** Merges adjacent spans (input sorted by first key). */
  static List<KeySpan> coalesce(List<KeySpan> spans) {
    List<KeySpan> out = new ArrayList<>();
    for (KeySpan span : spans) {
      int lastIndex = out.size() - 1;
      if (lastIndex >= 0 && out.get(lastIndex).adjoins(span)) {
        out.set(lastIndex, out.get(lastIndex).union(span));
      } else {
        out.add(span);
      }
    }
    return out;
  }

  static List<Weighted> coalesceWeighted(List<Weighted> spans) {
    List<Weighted> out = new ArrayList<>();
    for (Weighted w : spans) {
      int lastIndex = out.size() - 1;
      if (lastIndex >= 0 && out.get(lastIndex).span().adjoins(w.span())) {
        Weighted prev = out.get(lastIndex);
        out.set(lastIndex, new Weighted(prev.span().union(w.span()), prev.rows() + w.rows()));
      } else {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Groups spans into batches for one query each: at most {@code maxRanges} ranges (keeps the SQL and the
   * planner's work small) and about {@code maxRows} rows (bounds memory); a single larger span is its own batch.
   */
  static List<List<KeySpan>> batches(List<Weighted> spans, long maxRows, int maxRanges) {
    List<List<KeySpan>> out = new ArrayList<>();
    List<KeySpan> current = new ArrayList<>();
    long rows = 0;
    for (Weighted w : spans) {
      if (!current.isEmpty() && (current.size() >= maxRanges || rows + w.rows() > maxRows)) {
        out.add(current);
        current = new ArrayList<>();
        rows = 0;
      }
      current.add(w.span());
      rows += w.rows();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  static List<List<KeySpan>> chunks(List<KeySpan> spans, int maxRanges) {
    List<List<KeySpan>> out = new ArrayList<>();
    for (int i = 0; i < spans.size(); i += maxRanges) {
      out.add(List.copyOf(spans.subList(i, Math.min(spans.size(), i + maxRanges))));
    }
    return out;
  }
}
