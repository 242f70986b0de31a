package dev.stagegate.datacompare;

import java.util.Arrays;

/**
 * The keys one query reads: {@code outer} (an index range), and if {@code buckets} is not null only the keys
 * whose bucket of {@code grid} is listed (a hashed IN-list the engine tests per row, much cheaper than
 * OR-ing key ranges). Batches are formed so that the outer range is not much larger than the listed buckets.
 */
record BucketBatch(BucketGrid grid, KeySpan outer, long[] buckets, long rows) {

  static BucketBatch whole(KeySpan bounds) {
    return new BucketBatch(null, bounds, null, -1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketBatch b && java.util.Objects.equals(grid, b.grid) && outer.equals(b.outer)
        && Arrays.equals(buckets, b.buckets) && rows == b.rows;
  }

  @Override
  public int hashCode() {
    return outer.hashCode() * 31 + Arrays.hashCode(buckets);
  }

  @Override
  public String toString() {
    return "BucketBatch[" + outer + (buckets == null ? "" : " buckets " + Arrays.toString(buckets)) + "]";
  }
}
