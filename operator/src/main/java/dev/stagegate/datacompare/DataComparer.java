package dev.stagegate.datacompare;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
    ExecutorService pool = ComparerThreads.newPool(1, "datacompare");
    try {
      Future<OpenSide> targetOpening = pool.submit(() -> OpenSide.open(target, options.timeoutSeconds(), queries));
      OpenSide src;
      try {
        src = OpenSide.open(source, options.timeoutSeconds(), queries);
      } catch (RuntimeException e) {
        ComparerThreads.closeQuietly(targetOpening);
        throw e;
      }
      try (OpenSide s = src; OpenSide t = ComparerThreads.await(targetOpening)) {
        checkKeys(s, t, range);
        ChecksumMode mode = chooseHash(s, t);
        return new Bisection(s, t, pool, options, clock, planner).compare(range, mode, start, queries);
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
    ExecutorService pool = ComparerThreads.newPool(maxConnectionsPerSide, "datacompare-part");
    try {
      List<Future<ComparisonResult>> running = new ArrayList<>();
      for (KeyRange part : parts) {
        running.add(pool.submit(() -> compare(source, target, part)));
      }
      List<ComparisonResult> results = new ArrayList<>();
      for (Future<ComparisonResult> result : running) {
        results.add(ComparerThreads.await(result));
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
}
