package dev.stagegate.datacompare;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A key value of one or more columns. Every part is held canonically, as a {@code Long} or as text (UUIDs lower
 * case, dates ISO, timestamps {@code yyyy-MM-ddTHH:mm:ss.ffffff} in UTC), so that both engines' readings of the
 * same key are equal and order the same way: integers numerically, text by Unicode code points, the parts of a
 * composite key left to right. Code-point order is the one order PostgreSQL and MariaDB/MySQL can both be made
 * to follow whatever the columns' collations are (see {@link SqlDialect#keyOrder(KeyColumn)}).
 */
public final class Key implements Comparable<Key> {

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

  private final Object[] parts;

  private Key(Object[] parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("a key has at least one part");
    }
    this.parts = parts;
  }

  public static Key of(long value) {
    return new Key(new Object[] {value});
  }

  /** A key of integers, strings, UUIDs, dates or timestamps, in key column order. */
  public static Key of(Object... values) {
    Object[] parts = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      parts[i] = canonical(values[i]);
    }
    return new Key(parts);
  }

  /** Parts already canonical (read from a result set or parsed by {@link KeyShape}). */
  static Key ofParts(List<Object> parts) {
    return new Key(parts.toArray());
  }

  private static Object canonical(Object value) {
    if (value instanceof Long || value instanceof String) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof UUID uuid) {
      return uuid.toString();
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    if (value instanceof LocalDateTime time) {
      return TIMESTAMP.format(time);
    }
    if (value instanceof Instant instant) {
      return TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
    throw new IllegalArgumentException("a key part must be an integer, text, UUID, date or timestamp, not "
        + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  public int size() {
    return parts.length;
  }

  /** A {@code Long} or a {@code String}. */
  public Object part(int i) {
    return parts[i];
  }

  List<Object> parts() {
    return List.of(parts);
  }

  /** One integer column: the only shape the integer-only API ({@code List<Long>} samples) can show. */
  public boolean isInteger() {
    return parts.length == 1 && parts[0] instanceof Long;
  }

  public long asLong() {
    if (!isInteger()) {
      throw new IllegalStateException("key " + this + " is not a one-column integer key");
    }
    return (Long) parts[0];
  }

  Key append(Object value) {
    Object[] more = Arrays.copyOf(parts, parts.length + 1);
    more[parts.length] = canonical(value);
    return new Key(more);
  }

  @Override
  public int compareTo(Key other) {
    if (other.parts.length != parts.length) {
      throw new IllegalArgumentException("keys " + this + " and " + other + " have different numbers of parts");
    }
    for (int i = 0; i < parts.length; i++) {
      int c = comparePart(parts[i], other.parts[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  static int comparePart(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return compareCodePoints(x, y);
    }
    throw new IllegalArgumentException("cannot compare key parts " + a + " and " + b + " of different kinds");
  }

  /**
   * Unicode code-point order, which is also UTF-8 byte order (what the databases use under a binary
   * collation). {@link String#compareTo} compares UTF-16 units and puts U+FFFF above U+10000.
   */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Character.compare(ca, cb);
      }
      i++;
    }
    return Integer.compare(a.length(), b.length());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && Arrays.equals(parts, k.parts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(parts);
  }

  /** One part as itself ({@code 42}, {@code M-0001}); a composite key as a JSON array, the form {@link KeyShape#parse} reads. */
  @Override
  public String toString() {
    if (parts.length == 1) {
      return parts[0].toString();
    }
    List<String> json = new ArrayList<>();
    for (Object part : parts) {
      json.add(part instanceof Long ? part.toString() : KeyShape.jsonString((String) part));
    }
    return "[" + String.join(",", json) + "]";
  }
}
