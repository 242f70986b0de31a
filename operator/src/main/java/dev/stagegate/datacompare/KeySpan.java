package dev.stagegate.datacompare;

import java.math.BigInteger;

/** Inclusive key interval {@code [first, last]}; inclusive so that Long.MAX_VALUE keys need no overflow tricks. */
record KeySpan(long first, long last) {

  KeySpan {
    if (first > last) {
      throw new IllegalArgumentException("first " + first + " > last " + last);
    }
  }

  /** Number of key values in the span (up to 2^64, hence BigInteger). */
  BigInteger width() {
    return BigInteger.valueOf(last).subtract(BigInteger.valueOf(first)).add(BigInteger.ONE);
  }

  KeySpan union(KeySpan next) {
    return new KeySpan(Math.min(first, next.first), Math.max(last, next.last));
  }

  @Override
  public String toString() {
    return "[" + first + ".." + last + "]";
  }
}
