package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Row-by-row diff of a small segment (pure)")
class RowHashesTest {

  private static RowHashes rows(long... keyHashPairs) {
    RowHashes rows = new RowHashes("source");
    for (int i = 0; i < keyHashPairs.length; i += 2) {
      rows.add(Key.of(keyHashPairs[i]), keyHashPairs[i + 1]);
    }
    return rows;
  }

  @Test
  @DisplayName("keys only in the source are missing, only in the target extra, with other hashes changed")
  void mergeDiff() {
    // given
    RowHashes source = rows(1, 10, 2, 20, 4, 40, 6, 60, 9, 90);
    RowHashes target = rows(0, 5, 2, 20, 4, 41, 7, 70, 9, 90, 12, 1);
    DifferenceCollector out = new DifferenceCollector(10);

    // when
    RowHashes.diff(source, target, out);

    // then
    assertThat(out.samples().missing()).containsExactly(Key.of(1), Key.of(6));
    assertThat(out.samples().extra()).containsExactly(Key.of(0), Key.of(7), Key.of(12));
    assertThat(out.samples().changed()).containsExactly(Key.of(4));
  }

  @Test
  @DisplayName("the collector keeps the smallest keys whatever order they arrive in, and counts all")
  void smallestSamples() {
    DifferenceCollector out = new DifferenceCollector(3);
    for (long key : new long[] {50, 10, 40, 30, 20, 60}) {
      out.changed(Key.of(key));
    }
    out.missingCount(1000);
    out.sampleMissing(Key.of(9));
    assertThat(out.samples().changed()).containsExactly(Key.of(10), Key.of(20), Key.of(30));
    assertThat(out.changed()).isEqualTo(6);
    assertThat(out.missing()).isEqualTo(1000);
    assertThat(out.samples().missing()).containsExactly(Key.of(9));
  }

  @Test
  @DisplayName("segment checksums are compared modulo 2^64, so signed and unsigned sums agree")
  void modularSums() {
    // 2^64 - 1 (MariaDB, unsigned) and -1 (PostgreSQL, signed) are the same 64-bit row hash
    assertThat(OpenSide.low64(new java.math.BigDecimal("18446744073709551615"))).isEqualTo(-1L);
    // two such rows sum to 2^65 - 2 unsigned and to -2 signed
    assertThat(OpenSide.low64(new java.math.BigDecimal("36893488147419103230"))).isEqualTo(-2L);
    assertThat(OpenSide.low64(null)).isZero();
  }
}
