package dev.stagegate.datacompare;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything engine-specific about a data comparison: quoting, session settings, how values are
 * normalised to canonical text, the row hash, how keys are ordered, and the queries themselves. Both engines
 * must produce the same 64-bit row hash for the same logical row in {@link ChecksumMode#PORTABLE} mode; that
 * is what makes PostgreSQL-to-MariaDB comparisons work.
 *
 * <p>Canonical row text (portable mode): the columns in order, joined by {@code |}; a NULL is {@code N};
 * a free-text value is {@code <utf8 byte length>:<text>} so that no separator inside a value can make two
 * different rows render alike; other values render as described in {@link ValueKind} and cannot contain
 * {@code |}. Row hash: the first 16 hex digits of md5 of that text, read as a 64-bit integer. Segment
 * checksum: the sum of the row hashes modulo 2^64 (order-independent).
 *
 * <p>Key order: every range filter compares {@link #keyOrder(KeyColumn)} expressions, which order text keys by
 * code points on both engines whatever the column collation (see {@link Key}). A key whose column order is
 * already that ({@link KeyColumn#seekable()}) is compared directly, so each range is an index seek and a
 * batch of ranges is a UNION ALL of seeks. Otherwise a filter on the converted key cannot use an index, and
 * a batch of ranges is one scan that assigns each row its range by a binary search written as nested CASE
 * ({@link #rangeIndex}): one pass over the table whatever the number of ranges.
 */
public interface SqlDialect {

  /** Column alias of the range index a one-scan query assigns to each row. */
  String RANGE = "stagegate_range";

  /** Engine name for messages and results, e.g. {@code PostgreSQL 14.22}. */
  String description();

  /** Quotes an identifier that was validated by {@link SqlIdentifier} and found in the metadata. */
  String quote(String identifier);

  /** Session settings the renderings rely on (UTC time zone, ISO dates, UTF-8). */
  void prepareSession(Connection connection) throws SQLException;

  /** Maps a column's metadata type to how it is rendered. */
  ValueKind kindOf(String typeName, int jdbcType, int columnSize);

  /** Maps a key column's metadata type to its key kind, or {@code null} when it cannot be a key. */
  KeyKind keyKindOf(String typeName, int jdbcType, int columnSize);

  /**
   * Looks up what ordering a key column has (its collation) and whether ranges over it can seek its index.
   *
   * @throws DataCompareException when the column's text cannot be put in code-point order on this engine
   */
  KeyColumn describeKey(Connection connection, String role, String container, String table, String column,
      String typeName, KeyKind kind) throws SQLException;

  /** SQL expression rendering {@code column} (already quoted as {@code ref}) as canonical text; NULL stays NULL. */
  String canonicalText(ColumnInfo column, String ref);

  /** SQL expression of the portable 64-bit row hash (md5, or SHA-256 when {@code sha256}). */
  String portableRowHash(List<ColumnInfo> columns, boolean sha256);

  /** Whether MD5() works on this server (not in FIPS mode). */
  default boolean supportsMd5() {
    return true;
  }

  /** SQL expression of the engine-native row hash, or {@code null} when the engine has none. */
  default String nativeRowHash(List<ColumnInfo> columns) {
    return null;
  }

  /** Whether this engine can hash with {@link ChecksumMode#POSTGRES_NATIVE}. */
  default boolean supportsNativeHash() {
    return false;
  }

  /** Reads a row hash column as the 64-bit pattern (signed or unsigned on the server, same bits). */
  long readHash(ResultSet rs, int index) throws SQLException;

  /** SQL expression of a key column that orders by {@link Key} order (code points for text). */
  String keyOrder(KeyColumn key);

  /** SQL expression reading a key column in {@link Key}'s canonical text (or as an integer). */
  String keyValue(KeyColumn key);

  /** A key part as an SQL literal comparable with {@link #keyOrder(KeyColumn)}. */
  String keyLiteral(KeyColumn key, Object part);

  /** Whether composite bounds may be written as {@code ROW(a, b) >= ROW(x, y)} and still use the index. */
  boolean rowComparisons();

  /** Keys of about {@code fraction} of the rows in {@code range}, in no order. */
  String sampleQuery(HashedTable t, KeyRange range, double fraction);

  // ---- queries (same SQL shape on both engines; the pieces above differ) ----

  default String rowHash(HashedTable t) {
    String hash = switch (t.mode()) {
      case POSTGRES_NATIVE -> nativeRowHash(t.columns());
      case PORTABLE -> portableRowHash(t.columns(), false);
      case PORTABLE_SHA256 -> portableRowHash(t.columns(), true);
    };
    if (hash == null) {
      throw new DataCompareException(description() + " has no " + t.mode() + " row hash");
    }
    return hash;
  }

  default String countQuery(HashedTable t, KeyRange range) {
    return "SELECT COUNT(*) FROM " + t.quotedTable() + where(rangeFilter(t, range));
  }

  /** Count and checksum of a whole range in one aggregate (the "full checksum" of a table). */
  default String totalChecksumQuery(HashedTable t, KeyRange range) {
    return "SELECT COUNT(*), SUM(" + rowHash(t) + ") FROM " + t.quotedTable() + where(rangeFilter(t, range));
  }

  /** Index, count and checksum of each range ({@code firstIndex} + position); empty ranges return no row. */
  default String rangeChecksumsQuery(HashedTable t, List<KeyRange> ranges, int firstIndex) {
    String hash = rowHash(t);
    if (scans(t)) {
      return "SELECT " + RANGE + ", COUNT(*), SUM(" + hash + ") FROM " + ranged(t, ranges, firstIndex)
          + " GROUP BY " + RANGE;
    }
    List<String> arms = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      arms.add("SELECT " + (firstIndex + i) + ", COUNT(*), SUM(" + hash + ") FROM " + t.quotedTable()
          + where(rangeFilter(t, ranges.get(i))));
    }
    return String.join(" UNION ALL ", arms);
  }

  /** Keys and row hash of every row in the ranges; unordered (sorted by the caller) so the engine may scan. */
  default String rowHashesQuery(HashedTable t, List<KeyRange> ranges) {
    if (scans(t)) {
      return "SELECT " + keyValues(t) + ", " + rowHash(t) + " FROM " + ranged(t, ranges, 0);
    }
    String select = "SELECT " + keyValues(t) + ", " + rowHash(t) + " FROM " + t.quotedTable();
    List<String> arms = new ArrayList<>();
    for (KeyRange range : ranges) {
      arms.add(select + where(rangeFilter(t, range)));
    }
    return String.join(" UNION ALL ", arms);
  }

  /** The {@code limit} smallest keys of each range (the caller keeps the smallest overall). */
  default String smallestKeysQuery(HashedTable t, List<KeyRange> ranges, int limit) {
    if (scans(t)) {
      return "SELECT " + keyAliases(t) + " FROM (SELECT " + aliasedKeyValues(t) + ", ROW_NUMBER() OVER (PARTITION BY "
          + RANGE + " ORDER BY " + keyOrder(t, false) + ") AS rn FROM " + ranged(t, ranges, 0) + ") k WHERE rn <= " + limit;
    }
    List<String> arms = new ArrayList<>();
    for (KeyRange range : ranges) {
      arms.add("(SELECT " + keyValues(t) + " FROM " + t.quotedTable() + where(rangeFilter(t, range))
          + " ORDER BY " + keyOrder(t, false) + " LIMIT " + limit + ")");
    }
    return String.join(" UNION ALL ", arms);
  }

  /** The smallest ({@code last} false) or largest key in the range. */
  default String edgeKeyQuery(HashedTable t, KeyRange range, boolean last) {
    return "SELECT " + keyValues(t) + " FROM " + t.quotedTable() + where(rangeFilter(t, range))
        + " ORDER BY " + keyOrder(t, last) + " LIMIT 1";
  }

  /**
   * For each range, the keys at the given 1-based row numbers in key order: row quantiles, for stage
   * boundaries and for splitting segments of non-integer keys into parts of equal rows.
   */
  default String keysAtRowNumbersQuery(HashedTable t, List<KeyRange> ranges, List<long[]> rowNumbers, int firstIndex) {
    String aliases = keyAliases(t);
    String values = aliasedKeyValues(t);
    if (scans(t)) {
      List<String> wanted = new ArrayList<>();
      for (int i = 0; i < ranges.size(); i++) {
        wanted.add("(" + RANGE + " = " + (firstIndex + i) + " AND rn IN (" + numbers(rowNumbers.get(i)) + "))");
      }
      return "SELECT " + RANGE + ", " + aliases + " FROM (SELECT " + RANGE + ", " + values
          + ", ROW_NUMBER() OVER (PARTITION BY " + RANGE + " ORDER BY " + keyOrder(t, false) + ") AS rn FROM "
          + ranged(t, ranges, firstIndex) + ") k WHERE " + String.join(" OR ", wanted);
    }
    List<String> arms = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      arms.add("SELECT " + (firstIndex + i) + ", " + aliases + " FROM (SELECT " + values + ", ROW_NUMBER() OVER (ORDER BY "
          + keyOrder(t, false) + ") AS rn FROM " + t.quotedTable() + where(rangeFilter(t, ranges.get(i)))
          + ") s WHERE rn IN (" + numbers(rowNumbers.get(i)) + ")");
    }
    return String.join(" UNION ALL ", arms);
  }

  /** Whether range queries on this table scan (some key column cannot seek) rather than seek per range. */
  default boolean scans(HashedTable t) {
    return t.keys().stream().anyMatch(k -> !k.seekable());
  }

  /** The table's rows tagged with the index of the range they fall in; rows in no range are dropped. */
  private String ranged(HashedTable t, List<KeyRange> ranges, int firstIndex) {
    return "(SELECT " + rangeIndex(t, ranges, firstIndex) + " AS " + RANGE + ", " + t.quotedTable() + ".* FROM "
        + t.quotedTable() + ") r WHERE " + RANGE + " IS NOT NULL";
  }

  /**
   * SQL expression of the index of the range a row falls in, or NULL: a binary search over the ranges'
   * lower bounds as nested CASE, so each row costs about log2(ranges) key comparisons.
   */
  default String rangeIndex(HashedTable t, List<KeyRange> ranges, int firstIndex) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> {
      Key x = ranges.get(a).fromInclusive();
      Key y = ranges.get(b).fromInclusive();
      return x != null && y != null ? x.compareTo(y) : Boolean.compare(x != null, y != null);
    });
    return rangeIndex(t, ranges, order, 0, order.size() - 1, firstIndex);
  }

  private String rangeIndex(HashedTable t, List<KeyRange> ranges, List<Integer> order, int lo, int hi, int firstIndex) {
    if (lo == hi) {
      // The one range the search leaves: the row is in it only if it is also below its upper bound.
      String filter = rangeFilter(t, ranges.get(order.get(lo)));
      String index = Integer.toString(firstIndex + order.get(lo));
      return filter.isEmpty() ? index : "CASE WHEN " + filter + " THEN " + index + " END";
    }
    int mid = (lo + hi + 1) >>> 1;
    Key split = ranges.get(order.get(mid)).fromInclusive();
    if (split == null) {
      throw new IllegalArgumentException("overlapping key ranges: two start unbounded");
    }
    return "CASE WHEN " + compare(t, split, false) + " THEN " + rangeIndex(t, ranges, order, lo, mid - 1, firstIndex)
        + " ELSE " + rangeIndex(t, ranges, order, mid, hi, firstIndex) + " END";
  }

  default String keyValues(HashedTable t) {
    List<String> out = new ArrayList<>();
    t.keys().forEach(k -> out.add(keyValue(k)));
    return String.join(", ", out);
  }

  private String aliasedKeyValues(HashedTable t) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.keys().size(); i++) {
      out.add(keyValue(t.keys().get(i)) + " AS k" + i);
    }
    return String.join(", ", out);
  }

  private static String keyAliases(HashedTable t) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.keys().size(); i++) {
      out.add("k" + i);
    }
    return String.join(", ", out);
  }

  default String keyOrder(HashedTable t, boolean descending) {
    List<String> out = new ArrayList<>();
    t.keys().forEach(k -> out.add(keyOrder(k) + (descending ? " DESC" : "")));
    return String.join(", ", out);
  }

  /**
   * The keys of {@code range} as a WHERE condition ({@code ""} for all keys). Leading key parts both bounds
   * share become equalities, so a composite range inside one country (say) is an index prefix seek.
   */
  default String rangeFilter(HashedTable t, KeyRange range) {
    List<String> parts = new ArrayList<>();
    int shared = 0;
    if (range.fromInclusive() != null && range.toExclusive() != null) {
      while (shared < t.keys().size() - 1
          && range.fromInclusive().part(shared).equals(range.toExclusive().part(shared))) {
        KeyColumn key = t.keys().get(shared);
        parts.add(keyOrder(key) + " = " + keyLiteral(key, range.fromInclusive().part(shared)));
        shared++;
      }
    }
    if (range.fromInclusive() != null) {
      parts.add(compare(t, range.fromInclusive(), true, shared));
    }
    if (range.toExclusive() != null) {
      parts.add(compare(t, range.toExclusive(), false, shared));
    }
    return String.join(" AND ", parts);
  }

  private String compare(HashedTable t, Key bound, boolean lower) {
    return compare(t, bound, lower, 0);
  }

  /** {@code key >= bound} ({@code lower}) or {@code key < bound} over the key columns from {@code first} on. */
  private String compare(HashedTable t, Key bound, boolean lower, int first) {
    List<KeyColumn> keys = t.keys().subList(first, t.keys().size());
    List<String> exprs = new ArrayList<>();
    List<String> literals = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      exprs.add(keyOrder(keys.get(i)));
      literals.add(keyLiteral(keys.get(i), bound.part(first + i)));
    }
    String last = lower ? " >= " : " < ";
    if (keys.size() == 1) {
      return exprs.get(0) + last + literals.get(0);
    }
    if (rowComparisons()) {
      return "ROW(" + String.join(", ", exprs) + ")" + last + "ROW(" + String.join(", ", literals) + ")";
    }
    // (a, b) >= (x, y) as a >= x AND (a > x OR (a = x AND b >= y)): the leading a >= x bounds the index range.
    String strict = lower ? " > " : " < ";
    String tail = exprs.get(keys.size() - 1) + last + literals.get(keys.size() - 1);
    for (int i = keys.size() - 2; i >= 0; i--) {
      tail = "(" + exprs.get(i) + strict + literals.get(i) + " OR (" + exprs.get(i) + " = " + literals.get(i)
          + " AND " + tail + "))";
    }
    return exprs.get(0) + (lower ? " >= " : " <= ") + literals.get(0) + " AND " + tail;
  }

  private static String numbers(long[] values) {
    StringBuilder out = new StringBuilder();
    for (long n : values) {
      out.append(out.length() == 0 ? "" : ",").append(n);
    }
    return out.toString();
  }

  /** A long as SQL; negatives in parentheses (so "- -5" can never become a comment), MIN_VALUE as arithmetic. */
  static String literal(long value) {
    if (value == Long.MIN_VALUE) {
      return "(-9223372036854775807-1)";
    }
    return value < 0 ? "(" + value + ")" : Long.toString(value);
  }

  static String utf8Hex(String text) {
    return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
  }

  static String where(String filter) {
    return filter.isEmpty() ? "" : " WHERE " + filter;
  }
}
