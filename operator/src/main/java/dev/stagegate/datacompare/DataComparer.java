package dev.stagegate.datacompare;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Compares a key range of two tables by checksum bisection (the method data-diff and reladiff made known):
 * one grouped aggregate query per side gives count and checksum for every bucket of the range; equal buckets
 * are done, buckets present on one side only are counted whole, small differing buckets are diffed row by
 * row (key + row hash), large ones are split into {@code bisectionFactor} children and the next level
 * repeats for all of them in one query per side. Both sides' queries run at the same time on their own
 * connection. Stateless: one instance may run several comparisons, also at the same time.
 */
public final class DataComparer {

  private final CompareOptions options;
  private final Clock clock;
  private final BisectionPlanner planner;

  public DataComparer() {
    this(CompareOptions.defaults(), Clock.systemUTC());
  }

  public DataComparer(CompareOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.planner = new BisectionPlanner(options.bisectionFactor(), options.rowThreshold(), options.firstLevelBuckets());
  }

  public CompareOptions options() {
    return options;
  }

  /**
   * Compares {@code source} and {@code target} over {@code range} (keys {@code [from, to)}).
   *
   * @throws DataCompareException when a side cannot be reached, a table/column is unknown, or a query fails
   */
  public ComparisonResult compare(TableSide source, TableSide target, KeyRange range) {
    if (source.columns().size() != target.columns().size()) {
      throw new DataCompareException("source lists " + source.columns().size() + " columns but target lists "
          + target.columns().size() + "; columns are compared by position");
    }
    Instant start = clock.instant();
    AtomicInteger queries = new AtomicInteger();
    ExecutorService pool = newPool();
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
        ChecksumMode mode = chooseHash(s, t);
        return new Run(s, t, pool).compare(range, mode, start, queries);
      }
    } finally {
      pool.shutdownNow();
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
      t.useHash(t.columns(), ChecksumMode.PORTABLE);
      long rows = t.count(range);
      List<Long> samples = rows == 0 || options.sampleLimit() == 0 ? List.of() : t.smallestKeys(range, options.sampleLimit());
      return new ComparisonResult(range, 0, rows, 0, rows, 0, List.of(), samples, List.of(),
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
      ChecksumMode mode = !options.portableOnly() && s.dialect().supportsNativeHash()
          ? ChecksumMode.POSTGRES_NATIVE : ChecksumMode.PORTABLE;
      s.useHash(s.columns(), mode);
      SegmentStats stats = s.totalChecksum(range);
      return new TableChecksum(range, stats.count(), TableChecksum.hex(stats.checksum()), mode,
          Duration.between(start, clock.instant()), queries.get());
    }
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
    ChecksumMode mode = native_ ? ChecksumMode.POSTGRES_NATIVE : ChecksumMode.PORTABLE;
    s.useHash(sourceColumns, mode);
    t.useHash(targetColumns, mode);
    return mode;
  }

  /** One comparison in progress. */
  private final class Run {
    private final OpenSide source;
    private final OpenSide target;
    private final ExecutorService pool;
    private final DifferenceCollector differences = new DifferenceCollector(options.sampleLimit());
    private long rowsFetched;

    Run(OpenSide source, OpenSide target, ExecutorService pool) {
      this.source = source;
      this.target = target;
      this.pool = pool;
    }

    ComparisonResult compare(KeyRange range, ChecksumMode mode, Instant start, AtomicInteger queries) {
      Pair<KeySpan> found = both(side -> side.keyBounds(range));
      long sourceRows = 0;
      long targetRows = 0;
      if (found.source() != null || found.target() != null) {
        KeySpan bounds = found.source() == null ? found.target()
            : found.target() == null ? found.source() : found.source().union(found.target());
        BucketGrid grid = planner.firstLevel(bounds);
        List<BucketBatch> batches = List.of(BucketBatch.whole(bounds));
        boolean firstLevel = true;
        while (!batches.isEmpty()) {
          Map<Long, SegmentStats> sourceStats = new HashMap<>();
          Map<Long, SegmentStats> targetStats = new HashMap<>();
          for (BucketBatch batch : batches) {
            BucketGrid level = grid;
            Pair<Map<Long, SegmentStats>> stats = both(side -> side.bucketChecksums(level, bounds, batch));
            sourceStats.putAll(stats.source());
            targetStats.putAll(stats.target());
          }
          if (firstLevel) {
            sourceRows = sourceStats.values().stream().mapToLong(SegmentStats::count).sum();
            targetRows = targetStats.values().stream().mapToLong(SegmentStats::count).sum();
            firstLevel = false;
          }
          BisectionPlanner.Decision decision = planner.decide(grid, sourceStats, targetStats);
          oneSided(grid, bounds, decision);
          for (BucketBatch batch : batches(grid, bounds, decision.fetch(), options.fetchBatchRows())) {
            Pair<RowHashes> rows = both(side -> side.rowHashes(bounds, batch));
            rowsFetched += rows.source().size() + rows.target().size();
            RowHashes.diff(rows.source(), rows.target(), differences);
          }
          batches = batches(grid, bounds, decision.split(), Long.MAX_VALUE);
          grid = planner.nextLevel(grid);
        }
      }
      return new ComparisonResult(range, sourceRows, targetRows, differences.missing(), differences.extra(),
          differences.changed(), differences.missingSamples(), differences.extraSamples(),
          differences.changedSamples(), Duration.between(start, clock.instant()), queries.get(), rowsFetched, mode);
    }

    private List<BucketBatch> batches(BucketGrid grid, KeySpan bounds, List<BisectionPlanner.BucketRows> buckets, long maxRows) {
      return BisectionPlanner.batches(grid, bounds, buckets, maxRows, options.maxBucketsPerQuery(), options.maxGapKeys());
    }

    /** Buckets with rows on one side only: counted whole; only their smallest keys are fetched, as samples. */
    private void oneSided(BucketGrid grid, KeySpan bounds, BisectionPlanner.Decision decision) {
      decision.sourceOnly().forEach(b -> differences.missingCount(b.rows()));
      decision.targetOnly().forEach(b -> differences.extraCount(b.rows()));
      if (options.sampleLimit() == 0) {
        return;
      }
      List<BucketBatch> sourceOnly = batches(grid, bounds, decision.sourceOnly(), Long.MAX_VALUE);
      List<BucketBatch> targetOnly = batches(grid, bounds, decision.targetOnly(), Long.MAX_VALUE);
      Pair<List<Long>> samples = both(side -> {
        List<Long> keys = new ArrayList<>();
        for (BucketBatch batch : side == source ? sourceOnly : targetOnly) {
          if (keys.size() >= options.sampleLimit()) {
            break; // batches ascend: later ones only hold larger keys
          }
          keys.addAll(side.smallestKeys(bounds, batch, options.sampleLimit()));
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

  private static ExecutorService newPool() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "datacompare-" + n.incrementAndGet());
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
