package dev.stagegate.datacompare;

/**
 * The keys a check covers: {@code [fromInclusive, toExclusive)} in {@link Key} order; either bound may be
 * {@code null} for "unbounded".
 */
public record KeyRange(Key fromInclusive, Key toExclusive) {

  public KeyRange {
    if (fromInclusive != null && toExclusive != null && fromInclusive.compareTo(toExclusive) >= 0) {
      throw new IllegalArgumentException(
          "empty key range: from " + fromInclusive + " must be below to " + toExclusive);
    }
  }

  public static KeyRange all() {
    return new KeyRange(null, null);
  }

  public static KeyRange of(long fromInclusive, long toExclusive) {
    return new KeyRange(Key.of(fromInclusive), Key.of(toExclusive));
  }

  public static KeyRange of(Key fromInclusive, Key toExclusive) {
    return new KeyRange(fromInclusive, toExclusive);
  }

  public boolean contains(Key key) {
    return (fromInclusive == null || key.compareTo(fromInclusive) >= 0)
        && (toExclusive == null || key.compareTo(toExclusive) < 0);
  }

  KeyRange from(Key key) {
    return new KeyRange(key, toExclusive);
  }

  KeyRange below(Key key) {
    return new KeyRange(fromInclusive, key);
  }

  @Override
  public String toString() {
    return "[" + (fromInclusive == null ? "-inf" : fromInclusive) + ", "
        + (toExclusive == null ? "+inf" : toExclusive) + ")";
  }
}
