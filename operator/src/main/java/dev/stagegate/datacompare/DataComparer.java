package dev.stagegate.datacompare;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Compares a key range of two tables by checksum bisection (the method data-diff and reladiff made known):
 * first count and checksum of the whole range on each side (one aggregate, the floor: equal ranges are done);
 * otherwise the range is cut into segments and one query per side gives count and checksum of every segment;
 * equal segments are done, segments with rows on one side only are counted whole, small differing segments
 * are diffed row by row (key + row hash), large ones are split into {@code bisectionFactor} children and the
 * next level repeats for all of them together. Integer keys are cut evenly by value; any other key (text,
 * UUID, date, composite) at row quantiles. Both sides' queries run at the same time on their own connection.
 * Stateless: one instance may run several comparisons, also at the same time.
 */
public final class DataComparer {

  private final CompareOptions options;
  private final Clock clock;
  private final SegmentPlanner planner;

  public DataComparer() {
    this(CompareOptions.defaults(), Clock.systemUTC());
  }

  public DataComparer(CompareOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.planner = new SegmentPlanner(options.rowThreshold());
  }

  public CompareOptions options() {
    return options;
  }

  /**
   * Compares {@code source} and {@code target} over {@code range} (keys {@code [from, to)}).
   *
   * @throws DataCompareException when a side cannot be reached, a table/column is unknown, the key columns
   *     cannot be matched or ordered alike on both sides, or a query fails
   */
  public ComparisonResult compare(TableSide source, TableSide target, KeyRange range) {
    if (source.columns().size() != target.columns().size()) {
      throw new DataCompareException("source lists " + source.columns().size() + " columns but target lists "
          + target.columns().size() + "; columns are compared by position");
    }
    if (source.keyColumns().size() != target.keyColumns().size()) {
      throw new DataCompareException("source has " + source.keyColumns().size() + " key columns but target has "
          + target.keyColumns().size());
    }
    Instant start = clock.instant();
    AtomicInteger queries = new AtomicInteger();
    ExecutorService pool = newPool(1, "datacompare");
    try {
      Future<OpenSide> targetOpening = pool.submit(() -> OpenSide.open(target, options.timeoutSeconds(), queries));
      OpenSide src;
      try {
        src = OpenSide.open(source, options.timeoutSeconds(), queries);
      } catch (RuntimeException e) {
        closeQuietly(targetOpening);
        throw e;
      }
      try (OpenSide s = src; OpenSide t = await(targetOpening)) {
        checkKeys(s, t, range);
        ChecksumMode mode = chooseHash(s, t);
        return new Run(s, t, pool).compare(range, mode, start, queries);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Compares adjacent parts of one range separately, at most {@code maxConnectionsPerSide} at a time (each
   * part holds one connection a side), and adds up their results. Each part sees its own snapshot.
   */
  public ComparisonResult compareInParts(TableSide source, TableSide target, List<KeyRange> parts, int maxConnectionsPerSide) {
    if (maxConnectionsPerSide < 1) {
      throw new IllegalArgumentException("maxConnectionsPerSide must be at least 1");
    }
    Instant start = clock.instant();
    ExecutorService pool = newPool(maxConnectionsPerSide, "datacompare-part");
    try {
      List<Future<ComparisonResult>> running = new ArrayList<>();
      for (KeyRange part : parts) {
        running.add(pool.submit(() -> compare(source, target, part)));
      }
      List<ComparisonResult> results = new ArrayList<>();
      for (Future<ComparisonResult> result : running) {
        results.add(await(result));
      }
      ComparisonResult merged = ComparisonResult.merge(results, options.sampleLimit());
      return new ComparisonResult(merged.range(), merged.sourceRows(), merged.targetRows(), merged.missing(),
          merged.extra(), merged.changed(), merged.samples(), Duration.between(start, clock.instant()),
          merged.queries(), merged.rowsFetched(), merged.mode());
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code range} cut into {@code parts} ranges of equal rows on {@code side} (exact row quantiles). */
  public List<KeyRange> rowQuantiles(TableSide side, KeyRange range, int parts) {
    return quantiles(side, range, parts, true);
  }

  /** Like {@link #rowQuantiles} from a sample of about 64 keys a part: one cheap scan, parts only roughly equal. */
  public List<KeyRange> approximateRowQuantiles(TableSide side, KeyRange range, int parts) {
    return quantiles(side, range, parts, false);
  }

  private List<KeyRange> quantiles(TableSide side, KeyRange range, int parts, boolean exact) {
    if (parts < 1) {
      throw new IllegalArgumentException("parts must be at least 1");
    }
    try (OpenSide s = OpenSide.open(side, options.timeoutSeconds(), new AtomicInteger())) {
      s.keyShape().check(range, side.role());
      s.useHash(s.columns(), ChecksumMode.PORTABLE);
      long rows = s.count(range);
      if (parts == 1 || rows <= 1) {
        return List.of(range);
      }
      List<Key> boundaries = exact
          ? s.keysAtRowNumbers(List.of(range), List.of(SegmentPlanner.partStarts(rows, parts)), 1).get(0)
          : SegmentPlanner.sampleQuantiles(s.sample(range, Math.min(1.0, 64.0 * parts / rows)), parts);
      return SegmentPlanner.cut(range, boundaries);
    }
  }

  /**
   * The rows of {@code side} in {@code range} and the keys at the given 1-based row numbers in key order
   * (code-point order for text): exact row quantiles at any cut points, e.g. a migration's stage percentages.
   */
  public RowPositions keysAtRows(TableSide side, KeyRange range, long... rowNumbers) {
    try (OpenSide s = OpenSide.open(side, options.timeoutSeconds(), new AtomicInteger())) {
      s.keyShape().check(range, side.role());
      s.useHash(s.columns(), ChecksumMode.PORTABLE);
      long rows = s.count(range);
      long[] inside = java.util.Arrays.stream(rowNumbers).filter(n -> n >= 1 && n <= rows).distinct().sorted().toArray();
      List<Key> keys = rows == 0 || inside.length == 0 ? List.of()
          : s.keysAtRowNumbers(List.of(range), List.<long[]>of(inside), 1).get(0);
      return new RowPositions(rows, keys);
    }
  }

  /** {@link #keysAtRows}: the row count of the range and the keys at the asked row numbers that exist, ascending. */
  public record RowPositions(long rows, List<Key> keys) {}

  /** The key columns of {@code side}'s table and their kinds: how to read keys given as text for it. */
  public KeyShape keyShape(TableSide side) {
    try (OpenSide s = OpenSide.open(side, options.timeoutSeconds(), new AtomicInteger())) {
      return s.keyShape();
    }
  }

  /**
   * The rollback check: {@code target} should hold no rows in {@code range}; every row there is reported
   * as extra (count and smallest keys). Two queries.
   */
  public ComparisonResult expectEmpty(TableSide target, KeyRange range) {
    Instant start = clock.instant();
    AtomicInteger queries = new AtomicInteger();
    try (OpenSide t = OpenSide.open(target, options.timeoutSeconds(), queries)) {
      t.keyShape().check(range, target.role());
      t.useHash(t.columns(), ChecksumMode.PORTABLE);
      long rows = t.count(range);
      List<Key> samples = rows == 0 || options.sampleLimit() == 0 ? List.of() : t.smallestKeys(List.of(range), options.sampleLimit());
      return new ComparisonResult(range, 0, rows, 0, rows, 0, new DifferenceSamples(List.of(), samples, List.of()),
          Duration.between(start, clock.instant()), queries.get(), 0, ChecksumMode.PORTABLE);
    }
  }

  /**
   * Count and checksum of one side's range in one aggregate query, to prove later that it still holds the
   * same data. Uses {@link ChecksumMode#POSTGRES_NATIVE} on PostgreSQL 14+ unless {@code portableOnly};
   * portable checksums of the same data are equal across engines.
   */
  public TableChecksum checksum(TableSide side, KeyRange range) {
    Instant start = clock.instant();
    AtomicInteger queries = new AtomicInteger();
    try (OpenSide s = OpenSide.open(side, options.timeoutSeconds(), queries)) {
      s.keyShape().check(range, side.role());
      ChecksumMode mode = !options.portableOnly() && s.dialect().supportsNativeHash()
          ? ChecksumMode.POSTGRES_NATIVE : portable(s);
      s.useHash(s.columns(), mode);
      SegmentStats stats = s.totalChecksum(range);
      return new TableChecksum(range, stats.count(), TableChecksum.hex(stats.checksum()), mode,
          Duration.between(start, clock.instant()), queries.get());
    }
  }

  /** Key columns are paired by position; each pair must read as the same kind of value on both sides. */
  private static void checkKeys(OpenSide s, OpenSide t, KeyRange range) {
    for (int i = 0; i < s.keys().size(); i++) {
      KeyColumn a = s.keys().get(i);
      KeyColumn b = t.keys().get(i);
      if (!a.kind().matches(b.kind())) {
        throw new DataCompareException("key column " + (i + 1) + " cannot be matched: source '" + a.name() + "' is "
            + a.typeName() + " (" + a.kind().name().toLowerCase() + "), target '" + b.name() + "' is "
            + b.typeName() + " (" + b.kind().name().toLowerCase() + ")");
      }
    }
    s.keyShape().check(range, "source");
  }

  /** Native hashing only between two PostgreSQL 14+ UTF-8 databases whose compared columns have the same types. */
  private ChecksumMode chooseHash(OpenSide s, OpenSide t) {
    List<ColumnInfo> sourceColumns = new ArrayList<>();
    List<ColumnInfo> targetColumns = new ArrayList<>();
    boolean sameTypes = true;
    for (int i = 0; i < s.columns().size(); i++) {
      ColumnInfo a = s.columns().get(i);
      ColumnInfo b = t.columns().get(i);
      boolean prefixed = a.kind().freeText() || b.kind().freeText();
      sourceColumns.add(a.withLengthPrefixed(prefixed));
      targetColumns.add(b.withLengthPrefixed(prefixed));
      sameTypes &= a.typeName().equalsIgnoreCase(b.typeName());
    }
    boolean native_ = !options.portableOnly() && sameTypes
        && s.dialect() instanceof PostgresDialect ps && ps.supportsNativeHash() && ps.utf8()
        && t.dialect() instanceof PostgresDialect pt && pt.supportsNativeHash() && pt.utf8();
    ChecksumMode mode = native_ ? ChecksumMode.POSTGRES_NATIVE : portable(s, t);
    s.useHash(sourceColumns, mode);
    t.useHash(targetColumns, mode);
    return mode;
  }

  /** md5 unless a side refuses it: both sides must hash alike. */
  private static ChecksumMode portable(OpenSide... sides) {
    for (OpenSide side : sides) {
      if (!side.dialect().supportsMd5()) {
        return ChecksumMode.PORTABLE_SHA256;
      }
    }
    return ChecksumMode.PORTABLE;
  }

  /** Orders ranges by lower bound, unbounded first. */
  private static int compareStarts(KeyRange a, KeyRange b) {
    if (a.fromInclusive() == null || b.fromInclusive() == null) {
      return Boolean.compare(a.fromInclusive() != null, b.fromInclusive() != null);
    }
    return a.fromInclusive().compareTo(b.fromInclusive());
  }

  /** One comparison in progress. */
  private final class Run {
    private final OpenSide source;
    private final OpenSide target;
    private final ExecutorService pool;
    private final DifferenceCollector differences = new DifferenceCollector(options.sampleLimit());
    /** One integer column: segments are cut by key value, with no query. */
    private final boolean integerKey;
    private long firstKey;
    private long lastKey;
    private long rowsFetched;

    Run(OpenSide source, OpenSide target, ExecutorService pool) {
      this.source = source;
      this.target = target;
      this.pool = pool;
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
      return new Pair<>(onSource, await(onTarget));
    }
  }

  private record Pair<T>(T source, T target) {}

  private static ExecutorService newPool(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new DataCompareException("comparison interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DataCompareException("comparison failed: " + e.getCause(), e.getCause());
    }
  }

  private static void closeQuietly(Future<OpenSide> opening) {
    try {
      opening.get().close();
    } catch (Exception ignored) {
      // the other side's failure is the one to report
    }
  }
}
