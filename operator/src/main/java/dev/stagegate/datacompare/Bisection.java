package dev.stagegate.datacompare;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One comparison by checksum bisection in progress (see {@link DataComparer}): whole-range totals, a first level of
 * segments, then level by level the decision of {@link SegmentPlanner} (done, one-sided, fetch rows, split again).
 * Both sides' queries run at the same time, the target's on {@code pool}.
 */
final class Bisection {
  private final OpenSide source;
  private final OpenSide target;
  private final ExecutorService pool;
  private final CompareOptions options;
  private final Clock clock;
  private final SegmentPlanner planner;
  private final DifferenceCollector differences;
  /** One integer column: segments are cut by key value, with no query. */
  private final boolean integerKey;
  private long firstKey;
  private long lastKey;
  private long rowsFetched;

  Bisection(OpenSide source, OpenSide target, ExecutorService pool, CompareOptions options, Clock clock,
      SegmentPlanner planner) {
    this.source = source;
    this.target = target;
    this.pool = pool;
    this.options = options;
    this.clock = clock;
    this.planner = planner;
    this.differences = new DifferenceCollector(options.sampleLimit());
    this.integerKey = source.keys().size() == 1 && source.keys().get(0).kind() == KeyKind.INTEGER;
  }

  ComparisonResult compare(KeyRange range, ChecksumMode mode, Instant start, AtomicInteger queries) {
    boolean wholeFirst = options.wholeRangeFirst();
    Pair<SegmentStats> totals = both(side -> wholeFirst ? side.totalChecksum(range) : new SegmentStats(side.count(range), 0));
    long sourceRows = totals.source().count();
    long targetRows = totals.target().count();
    boolean equal = wholeFirst && totals.source().equals(totals.target());
    if (!equal && sourceRows + targetRows > 0) {
      if (sourceRows == 0 || targetRows == 0) {
        oneSided(sourceRows == 0 ? List.of() : List.of(new SegmentPlanner.Segment(range, sourceRows)),
            targetRows == 0 ? List.of() : List.of(new SegmentPlanner.Segment(range, targetRows)));
      } else {
        bisect(firstLevel(range, Math.max(sourceRows, targetRows)));
      }
    }
    return new ComparisonResult(range, sourceRows, targetRows, differences.missing(), differences.extra(),
        differences.changed(), differences.samples(), Duration.between(start, clock.instant()), queries.get(),
        rowsFetched, mode);
  }

  /**
   * About two segments per {@code rowThreshold} rows, at most {@code firstLevelSegments}: integer keys cut
   * evenly between the smallest and largest key of both sides; other keys at quantiles of a sample of the
   * source's keys (16 a segment), which costs one scan and keeps segments near equal in rows.
   */
  private List<KeyRange> firstLevel(KeyRange range, long rows) {
    int parts = (int) Math.max(1, Math.min(options.firstLevelSegments(), 2 * rows / options.rowThreshold()));
    if (integerKey) {
      Pair<Key[]> edges = both(side -> side.edges(range));
      firstKey = Math.min(edge(edges.source(), Long.MAX_VALUE, 0), edge(edges.target(), Long.MAX_VALUE, 0));
      lastKey = Math.max(edge(edges.source(), Long.MIN_VALUE, 1), edge(edges.target(), Long.MIN_VALUE, 1));
      return SegmentPlanner.cut(range, SegmentPlanner.integerBoundaries(firstKey, lastKey, parts));
    }
    double fraction = Math.min(1.0, 16.0 * parts / rows);
    List<Key> sample = source.sample(range, fraction);
    return SegmentPlanner.cut(range, SegmentPlanner.sampleQuantiles(sample, parts));
  }

  private static long edge(Key[] edges, long none, int i) {
    return edges == null ? none : edges[i].asLong();
  }

  /** Checks each level's segments on both sides, acts on the decision, and goes on with the split ones. */
  private void bisect(List<KeyRange> segments) {
    int perQuery = options.maxRangesPerQuery();
    while (!segments.isEmpty()) {
      List<KeyRange> level = segments;
      Pair<List<SegmentStats>> stats = both(side -> side.rangeChecksums(level, perQuery));
      SegmentPlanner.Decision decision = planner.decide(level, stats.source(), stats.target());
      oneSided(decision.sourceOnly(), decision.targetOnly());
      List<SegmentPlanner.Segment> fetch = new ArrayList<>(decision.fetch());
      segments = split(decision.split(), stats, level, fetch);
      fetch.sort((a, b) -> compareStarts(a.range(), b.range()));
      fetch(fetch);
    }
  }

  /**
   * Children of the segments to split; a segment that cannot be cut (all its rows share the boundary
   * keys) is added to {@code fetch} instead.
   */
  private List<KeyRange> split(List<SegmentPlanner.Segment> split, Pair<List<SegmentStats>> stats,
      List<KeyRange> level, List<SegmentPlanner.Segment> fetch) {
    List<KeyRange> children = new ArrayList<>();
    if (split.isEmpty()) {
      return children;
    }
    List<List<Key>> boundaries;
    if (integerKey) {
      boundaries = new ArrayList<>();
      for (SegmentPlanner.Segment s : split) {
        long first = s.range().fromInclusive() == null ? firstKey : Math.max(firstKey, s.range().fromInclusive().asLong());
        long last = s.range().toExclusive() == null ? lastKey : Math.min(lastKey, s.range().toExclusive().asLong() - 1);
        boundaries.add(first < last ? SegmentPlanner.integerBoundaries(first, last, options.bisectionFactor()) : List.of());
      }
    } else {
      boundaries = quantileBoundaries(split, stats, level);
    }
    for (int i = 0; i < split.size(); i++) {
      List<KeyRange> cut = SegmentPlanner.cut(split.get(i).range(), boundaries.get(i));
      if (cut.size() > 1) {
        children.addAll(cut);
      } else {
        fetch.add(split.get(i));
      }
    }
    return children;
  }

  /**
   * Exact row quantiles of each segment to split, read on the side with more rows in it (a segment the
   * target lacks most of is cut where the source's rows are), both sides' share at the same time.
   */
  private List<List<Key>> quantileBoundaries(List<SegmentPlanner.Segment> split, Pair<List<SegmentStats>> stats,
      List<KeyRange> level) {
    List<KeyRange> onSource = new ArrayList<>();
    List<long[]> sourceRows = new ArrayList<>();
    List<KeyRange> onTarget = new ArrayList<>();
    List<long[]> targetRows = new ArrayList<>();
    List<Boolean> fromSource = new ArrayList<>();
    for (SegmentPlanner.Segment s : split) {
      int i = level.indexOf(s.range());
      long sourceCount = stats.source().get(i).count();
      long targetCount = stats.target().get(i).count();
      boolean useSource = sourceCount >= targetCount;
      fromSource.add(useSource);
      (useSource ? onSource : onTarget).add(s.range());
      (useSource ? sourceRows : targetRows).add(
          SegmentPlanner.partStarts(useSource ? sourceCount : targetCount, options.bisectionFactor()));
    }
    int perQuery = options.maxRangesPerQuery();
    Pair<List<List<Key>>> found = both(side -> side == source
        ? side.keysAtRowNumbers(onSource, sourceRows, perQuery)
        : side.keysAtRowNumbers(onTarget, targetRows, perQuery));
    List<List<Key>> out = new ArrayList<>();
    int s = 0;
    int t = 0;
    for (boolean useSource : fromSource) {
      out.add(useSource ? found.source().get(s++) : found.target().get(t++));
    }
    return out;
  }

  /** Row-level diff of the segments (in key order), in batches bounded by rows and by ranges. */
  private void fetch(List<SegmentPlanner.Segment> segments) {
    int perQuery = options.maxRangesPerQuery();
    int perBatch = source.scans() || target.scans() ? Math.max(perQuery, OpenSide.SCAN_RANGES) : perQuery;
    for (List<KeyRange> batch : SegmentPlanner.batches(segments, options.fetchBatchRows(), perBatch)) {
      Pair<RowHashes> rows = both(side -> side.rowHashes(batch, perQuery));
      rowsFetched += rows.source().size() + rows.target().size();
      RowHashes.diff(rows.source(), rows.target(), differences);
    }
  }

  /** Segments with rows on one side only: counted whole; only their smallest keys are fetched, as samples. */
  private void oneSided(List<SegmentPlanner.Segment> sourceOnly, List<SegmentPlanner.Segment> targetOnly) {
    sourceOnly.forEach(s -> differences.missingCount(s.rows()));
    targetOnly.forEach(s -> differences.extraCount(s.rows()));
    if (options.sampleLimit() == 0 || (sourceOnly.isEmpty() && targetOnly.isEmpty())) {
      return;
    }
    Pair<List<Key>> samples = both(side -> {
      List<Key> keys = new ArrayList<>();
      List<SegmentPlanner.Segment> mine = side == source ? sourceOnly : targetOnly;
      int perQuery = side.scans() ? Math.max(options.maxRangesPerQuery(), OpenSide.SCAN_RANGES) : options.maxRangesPerQuery();
      for (List<KeyRange> batch : SegmentPlanner.batches(mine, Long.MAX_VALUE, perQuery)) {
        if (keys.size() >= options.sampleLimit()) {
          break; // batches ascend: later ones only hold larger keys
        }
        keys.addAll(side.smallestKeys(batch, options.sampleLimit()));
      }
      return keys;
    });
    samples.source().forEach(differences::sampleMissing);
    samples.target().forEach(differences::sampleExtra);
  }

  /** Runs {@code work} for the target on the pool and for the source on this thread, at the same time. */
  private <T> Pair<T> both(Function<OpenSide, T> work) {
    Future<T> onTarget = pool.submit(() -> work.apply(target));
    T onSource;
    try {
      onSource = work.apply(source);
    } catch (RuntimeException e) {
      onTarget.cancel(true);
      throw e;
    }
    return new Pair<>(onSource, ComparerThreads.await(onTarget));
  }

  private record Pair<T>(T source, T target) {}

  /** Orders ranges by lower bound, unbounded first. */
  private static int compareStarts(KeyRange a, KeyRange b) {
    if (a.fromInclusive() == null || b.fromInclusive() == null) {
      return Boolean.compare(a.fromInclusive() != null, b.fromInclusive() != null);
    }
    return a.fromInclusive().compareTo(b.fromInclusive());
  }
}
