package dev.stagegate.datacompare;

import java.math.BigInteger;

/**
 * Buckets of {@code width} keys counted from {@code origin}: bucket b holds keys
 * {@code origin + b*width .. origin + (b+1)*width - 1}. Every level of the bisection uses the same origin
 * and widths that are powers of the bisection factor, so a bucket's children are exactly buckets
 * {@code b*factor .. b*factor+factor-1} of the next level and one query per side can cover all the
 * differing buckets of a level.
 */
record BucketGrid(long origin, BigInteger width) {

  BucketGrid {
    if (width.signum() <= 0) {
      throw new IllegalArgumentException("bucket width must be positive: " + width);
    }
  }

  /** The keys of bucket {@code index}, clipped to {@code bounds}. */
  KeySpan bucket(long index, KeySpan bounds) {
    BigInteger first = BigInteger.valueOf(origin).add(width.multiply(BigInteger.valueOf(index)));
    BigInteger last = first.add(width).subtract(BigInteger.ONE);
    BigInteger lo = first.max(BigInteger.valueOf(bounds.first()));
    BigInteger hi = last.min(BigInteger.valueOf(bounds.last()));
    return new KeySpan(lo.longValueExact(), hi.longValueExact());
  }

  /** True when {@code key - origin} may not fit a signed 64-bit integer, so SQL must use decimals. */
  boolean needsWideArithmetic(KeySpan bounds) {
    return bounds.width().bitLength() > 63 || width.bitLength() > 63;
  }
}
