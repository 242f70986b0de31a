package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bisection planning (pure)")
class BisectionPlannerTest {

  private final BisectionPlanner planner = new BisectionPlanner(32, 10_000, 2048);

  @Test
  @DisplayName("the first level has about firstLevelBuckets buckets, of a width m * factor^k that later levels divide")
  void firstLevel() {
    // given 2.5 million keys and 2,048 wanted buckets, when planned, then 2,048-key buckets (1,221 of them)
    BucketGrid grid = planner.firstLevel(new KeySpan(1, 2_500_000));
    assertThat(grid.width()).isEqualTo(BigInteger.valueOf(2048));
    assertThat(grid.origin()).isEqualTo(1);
    // and the levels below are 64, 2 and single keys
    assertThat(planner.nextLevel(grid).width()).isEqualTo(BigInteger.valueOf(64));
    assertThat(planner.nextLevel(planner.nextLevel(grid)).width()).isEqualTo(BigInteger.valueOf(2));
    assertThat(planner.nextLevel(planner.nextLevel(planner.nextLevel(grid))).width()).isEqualTo(BigInteger.ONE);
    // a coarser first level rounds up to m * 32^k: 500 wanted keys per bucket -> 16 * 32
    assertThat(new BisectionPlanner(32, 10_000, 100).firstLevel(new KeySpan(1, 50_000)).width()).isEqualTo(BigInteger.valueOf(512));
    // and a tiny span gets single-key buckets
    assertThat(planner.firstLevel(new KeySpan(10, 40)).width()).isEqualTo(BigInteger.ONE);
  }

  @Test
  @DisplayName("children of a bucket are exactly factor buckets of the next level")
  void nesting() {
    KeySpan bounds = new KeySpan(1, 2_500_000);
    BucketGrid top = new BisectionPlanner(32, 10_000, 32).firstLevel(bounds);
    assertThat(top.width()).isEqualTo(BigInteger.valueOf(32_768 * 3)); // 78,125 wanted -> 3 * 32^3
    BucketGrid next = planner.nextLevel(top);
    KeySpan parent = top.bucket(3, bounds);
    assertThat(next.bucket(3 * 32, bounds).first()).isEqualTo(parent.first());
    assertThat(next.bucket(3 * 32 + 31, bounds).last()).isEqualTo(parent.last());
  }

  @Test
  @DisplayName("the last bucket is clipped to the bounds, and a full-range span needs wide arithmetic")
  void clippingAndWideSpans() {
    KeySpan bounds = new KeySpan(1, 2_500_000);
    BucketGrid top = planner.firstLevel(bounds);
    assertThat(top.bucket(1220, bounds)).isEqualTo(new KeySpan(1 + 1220 * 2048L, 2_500_000));
    assertThat(top.needsWideArithmetic(bounds)).isFalse();
    KeySpan everything = new KeySpan(Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(planner.firstLevel(everything).needsWideArithmetic(everything)).isTrue();
  }

  @Test
  @DisplayName("buckets are sorted into equal, one-sided, fetch and split")
  void decide() {
    // given a grid of 100-key buckets and stats that differ in several ways
    BisectionPlanner small = new BisectionPlanner(10, 50, 10);
    BucketGrid grid = new BucketGrid(0, BigInteger.valueOf(100));
    Map<Long, SegmentStats> source = Map.of(
        0L, new SegmentStats(100, 7),   // equal
        1L, new SegmentStats(100, 8),   // changed, large -> split
        2L, new SegmentStats(100, 9),   // count differs, large -> split
        3L, new SegmentStats(40, 1),    // small -> fetch
        5L, new SegmentStats(100, 3));  // source only -> missing
    Map<Long, SegmentStats> target = Map.of(
        0L, new SegmentStats(100, 7),
        1L, new SegmentStats(100, 1),
        2L, new SegmentStats(99, 9),
        3L, new SegmentStats(41, 2),
        7L, new SegmentStats(20, 5));   // target only -> extra

    // when decided
    BisectionPlanner.Decision d = small.decide(grid, source, target);

    // then
    assertThat(d.equalRows()).isEqualTo(100);
    assertThat(d.split()).containsExactly(new BisectionPlanner.BucketRows(1, 100), new BisectionPlanner.BucketRows(2, 100));
    assertThat(d.fetch()).containsExactly(new BisectionPlanner.BucketRows(3, 41));
    assertThat(d.sourceOnly()).containsExactly(new BisectionPlanner.BucketRows(5, 100));
    assertThat(d.targetOnly()).containsExactly(new BisectionPlanner.BucketRows(7, 20));
    assertThat(d.done()).isFalse();
  }

  @Test
  @DisplayName("single-key buckets are always fetched, never split")
  void finestLevelFetches() {
    BisectionPlanner tiny = new BisectionPlanner(2, 1, 10);
    BisectionPlanner.Decision d = tiny.decide(new BucketGrid(0, BigInteger.ONE),
        Map.of(4L, new SegmentStats(2, 1)), Map.of(4L, new SegmentStats(2, 2)));
    assertThat(d.fetch()).extracting(BisectionPlanner.BucketRows::bucket).containsExactly(4L);
    assertThat(d.split()).isEmpty();
  }

  @Test
  @DisplayName("queries bridge small gaps with a bucket list, and start anew after a large gap or at the limits")
  void batches() {
    // given 10-key buckets over keys 0..9999
    BucketGrid grid = new BucketGrid(0, BigInteger.TEN);
    KeySpan bounds = new KeySpan(0, 9_999);
    List<BisectionPlanner.BucketRows> buckets = List.of(
        new BisectionPlanner.BucketRows(0, 10), new BisectionPlanner.BucketRows(1, 10),  // contiguous
        new BisectionPlanner.BucketRows(3, 10),                                          // 10-key gap: bridged
        new BisectionPlanner.BucketRows(500, 10),                                        // far away: new query
        new BisectionPlanner.BucketRows(501, 10), new BisectionPlanner.BucketRows(502, 10),
        new BisectionPlanner.BucketRows(503, 10));

    // when batched with a 100-key gap limit, at most 3 buckets and 1,000 rows a query
    List<BucketBatch> batches = BisectionPlanner.batches(grid, bounds, buckets, 1_000, 3, 100);

    // then
    assertThat(batches).containsExactly(
        new BucketBatch(grid, new KeySpan(0, 39), new long[] {0, 1, 3}, 30),
        new BucketBatch(grid, new KeySpan(5_000, 5_029), null, 30),
        new BucketBatch(grid, new KeySpan(5_030, 5_039), null, 10));
    // and a row limit splits too
    assertThat(BisectionPlanner.batches(grid, bounds, buckets, 20, 100, 100)).hasSize(4);
  }
}
