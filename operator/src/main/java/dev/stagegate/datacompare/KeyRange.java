package dev.stagegate.datacompare;

/**
 * The keys a check covers: {@code [fromInclusive, toExclusive)}; either bound may be {@code null} for
 * "unbounded". Keys are integers (PostgreSQL smallint/integer/bigint, MariaDB TINYINT..BIGINT signed).
 */
public record KeyRange(Long fromInclusive, Long toExclusive) {

  public KeyRange {
    if (fromInclusive != null && toExclusive != null && fromInclusive >= toExclusive) {
      throw new IllegalArgumentException(
          "empty key range: from " + fromInclusive + " must be below to " + toExclusive);
    }
  }

  public static KeyRange all() {
    return new KeyRange(null, null);
  }

  public static KeyRange of(long fromInclusive, long toExclusive) {
    return new KeyRange(fromInclusive, toExclusive);
  }

  /** The same range as inclusive bounds, or {@code null} when no key can be in it (to = Long.MIN_VALUE). */
  KeySpan clip(long minKey, long maxKey) {
    long first = fromInclusive == null ? minKey : Math.max(minKey, fromInclusive);
    if (toExclusive != null && toExclusive == Long.MIN_VALUE) {
      return null;
    }
    long last = toExclusive == null ? maxKey : Math.min(maxKey, toExclusive - 1);
    return first <= last ? new KeySpan(first, last) : null;
  }

  @Override
  public String toString() {
    return "[" + (fromInclusive == null ? "-inf" : fromInclusive) + ", "
        + (toExclusive == null ? "+inf" : toExclusive) + ")";
  }
}
