package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bisection planning (pure)")
class BisectionPlannerTest {

  private final BisectionPlanner planner = new BisectionPlanner(32, 10_000);

  @Test
  @DisplayName("the first level has between factor and factor² buckets, of a power-of-factor width")
  void firstLevel() {
    // given 2.5 million keys, when planned, then 32^3-wide buckets: 77 of them
    BucketGrid grid = planner.firstLevel(new KeySpan(1, 2_500_000));
    assertThat(grid.width()).isEqualTo(BigInteger.valueOf(32_768));
    assertThat(grid.origin()).isEqualTo(1);
    // and a tiny span gets single-key buckets
    assertThat(planner.firstLevel(new KeySpan(10, 40)).width()).isEqualTo(BigInteger.ONE);
  }

  @Test
  @DisplayName("children of a bucket are exactly factor buckets of the next level")
  void nesting() {
    KeySpan bounds = new KeySpan(1, 2_500_000);
    BucketGrid top = planner.firstLevel(bounds);
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
    assertThat(top.bucket(76, bounds)).isEqualTo(new KeySpan(1 + 76 * 32_768L, 2_500_000));
    assertThat(top.needsWideArithmetic(bounds)).isFalse();
    KeySpan everything = new KeySpan(Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(planner.firstLevel(everything).needsWideArithmetic(everything)).isTrue();
  }

  @Test
  @DisplayName("buckets are sorted into equal, one-sided, fetch and split, adjacent ones merged")
  void decide() {
    // given a grid of 100-key buckets over keys 0..999 and stats that differ in several ways
    BisectionPlanner small = new BisectionPlanner(10, 50);
    KeySpan bounds = new KeySpan(0, 999);
    BucketGrid grid = new BucketGrid(0, BigInteger.valueOf(100));
    Map<Long, SegmentStats> source = Map.of(
        0L, new SegmentStats(100, 7),   // equal
        1L, new SegmentStats(100, 8),   // changed, large -> split
        2L, new SegmentStats(100, 9),   // changed, large -> split (adjacent to 1)
        3L, new SegmentStats(40, 1),    // small -> fetch
        5L, new SegmentStats(100, 3));  // source only -> missing
    Map<Long, SegmentStats> target = Map.of(
        0L, new SegmentStats(100, 7),
        1L, new SegmentStats(100, 1),
        2L, new SegmentStats(99, 9),
        3L, new SegmentStats(41, 2),
        7L, new SegmentStats(20, 5));   // target only -> extra

    // when decided
    BisectionPlanner.Decision d = small.decide(grid, bounds, source, target);

    // then
    assertThat(d.equalRows()).isEqualTo(100);
    assertThat(d.split()).containsExactly(new KeySpan(100, 299));
    assertThat(d.fetch()).containsExactly(new BisectionPlanner.Weighted(new KeySpan(300, 399), 41));
    assertThat(d.sourceOnly()).containsExactly(new BisectionPlanner.Weighted(new KeySpan(500, 599), 100));
    assertThat(d.targetOnly()).containsExactly(new BisectionPlanner.Weighted(new KeySpan(700, 799), 20));
    assertThat(d.done()).isFalse();
  }

  @Test
  @DisplayName("single-key buckets are always fetched, never split")
  void finestLevelFetches() {
    BisectionPlanner tiny = new BisectionPlanner(2, 1);
    BisectionPlanner.Decision d = tiny.decide(new BucketGrid(0, BigInteger.ONE), new KeySpan(0, 9),
        Map.of(4L, new SegmentStats(2, 1)), Map.of(4L, new SegmentStats(2, 2)));
    assertThat(d.fetch()).extracting(BisectionPlanner.Weighted::span).containsExactly(new KeySpan(4, 4));
    assertThat(d.split()).isEmpty();
  }

  @Test
  @DisplayName("fetch batches respect the row and range limits; a single big span is its own batch")
  void batches() {
    List<BisectionPlanner.Weighted> spans = List.of(
        new BisectionPlanner.Weighted(new KeySpan(0, 9), 10),
        new BisectionPlanner.Weighted(new KeySpan(20, 29), 10),
        new BisectionPlanner.Weighted(new KeySpan(40, 49), 500),
        new BisectionPlanner.Weighted(new KeySpan(60, 69), 10),
        new BisectionPlanner.Weighted(new KeySpan(80, 89), 10),
        new BisectionPlanner.Weighted(new KeySpan(100, 109), 10));
    assertThat(BisectionPlanner.batches(spans, 100, 2)).containsExactly(
        List.of(new KeySpan(0, 9), new KeySpan(20, 29)),
        List.of(new KeySpan(40, 49)),
        List.of(new KeySpan(60, 69), new KeySpan(80, 89)),
        List.of(new KeySpan(100, 109)));
  }
}
