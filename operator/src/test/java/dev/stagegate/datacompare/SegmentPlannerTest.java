package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Segment planning of the bisection (pure)")
class SegmentPlannerTest {

  private static SegmentStats stats(long count, long checksum) {
    return new SegmentStats(count, checksum);
  }

  @Test
  @DisplayName("equal segments are done, one-sided ones counted, small differing ones fetched, large ones split")
  void decide() {
    // given five segments of one level and their counts and checksums on both sides
    List<KeyRange> segments = List.of(KeyRange.of(0, 10), KeyRange.of(10, 20), KeyRange.of(20, 30),
        KeyRange.of(30, 5000), KeyRange.of(5000, 5001));
    List<SegmentStats> source = List.of(stats(10, 1), stats(0, 0), stats(5, 7), stats(2000, 9), stats(3, 1));
    List<SegmentStats> target = List.of(stats(10, 1), stats(4, 3), stats(0, 0), stats(2000, 8), stats(3, 2));

    // when the planner with a threshold of 1,000 rows decides
    SegmentPlanner.Decision d = new SegmentPlanner(1000).decide(segments, source, target);

    // then
    assertThat(d.equalRows()).isEqualTo(10);
    assertThat(d.targetOnly()).containsExactly(new SegmentPlanner.Segment(KeyRange.of(10, 20), 4));
    assertThat(d.sourceOnly()).containsExactly(new SegmentPlanner.Segment(KeyRange.of(20, 30), 5));
    assertThat(d.split()).containsExactly(new SegmentPlanner.Segment(KeyRange.of(30, 5000), 2000));
    // a one-key integer segment cannot be split, whatever its size
    assertThat(d.fetch()).containsExactly(new SegmentPlanner.Segment(KeyRange.of(5000, 5001), 3));
  }

  @Test
  @DisplayName("a range is cut only at boundaries strictly inside it, each once, in order")
  void cut() {
    KeyRange range = new KeyRange(Key.of("b"), Key.of("m"));
    List<KeyRange> parts = SegmentPlanner.cut(range, List.of(Key.of("k"), Key.of("a"), Key.of("d"), Key.of("d"), Key.of("m")));
    assertThat(parts).containsExactly(new KeyRange(Key.of("b"), Key.of("d")), new KeyRange(Key.of("d"), Key.of("k")),
        new KeyRange(Key.of("k"), Key.of("m")));
    assertThat(SegmentPlanner.cut(KeyRange.all(), List.of())).containsExactly(KeyRange.all());
  }

  @Test
  @DisplayName("integer boundaries cover the whole long range without overflow and never repeat")
  void integerBoundaries() {
    assertThat(SegmentPlanner.integerBoundaries(Long.MIN_VALUE, Long.MAX_VALUE, 4))
        .containsExactly(Key.of(-(1L << 62)), Key.of(0), Key.of(1L << 62));
    assertThat(SegmentPlanner.integerBoundaries(1, 3, 32)).containsExactly(Key.of(2), Key.of(3));
    assertThat(SegmentPlanner.integerBoundaries(5, 5, 8)).isEmpty();
  }

  @Test
  @DisplayName("part starts are the 1-based row numbers of equal parts; never more parts than rows")
  void partStarts() {
    assertThat(SegmentPlanner.partStarts(10, 4)).containsExactly(3, 6, 8);
    assertThat(SegmentPlanner.partStarts(3, 32)).containsExactly(2, 3);
    assertThat(SegmentPlanner.partStarts(1, 4)).isEmpty();
  }

  @Test
  @DisplayName("sample quantiles give increasing boundaries")
  void sampleQuantiles() {
    List<Key> sample = List.of(Key.of("d"), Key.of("a"), Key.of("c"), Key.of("b"), Key.of("b"), Key.of("b"));
    assertThat(SegmentPlanner.sampleQuantiles(sample, 3)).containsExactly(Key.of("b"), Key.of("c"));
  }

  @Test
  @DisplayName("batches respect row and range limits, and adjacent segments merge into one range")
  void batches() {
    List<SegmentPlanner.Segment> segments = List.of(
        new SegmentPlanner.Segment(KeyRange.of(0, 10), 100), new SegmentPlanner.Segment(KeyRange.of(10, 20), 100),
        new SegmentPlanner.Segment(KeyRange.of(30, 40), 100), new SegmentPlanner.Segment(KeyRange.of(50, 60), 100));
    assertThat(SegmentPlanner.batches(segments, 1000, 10))
        .containsExactly(List.of(KeyRange.of(0, 20), KeyRange.of(30, 40), KeyRange.of(50, 60)));
    assertThat(SegmentPlanner.batches(segments, 250, 10))
        .containsExactly(List.of(KeyRange.of(0, 20)), List.of(KeyRange.of(30, 40), KeyRange.of(50, 60)));
    assertThat(SegmentPlanner.batches(segments, 1000, 1)).hasSize(4);
  }
}
