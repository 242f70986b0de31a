package dev.stagegate.datacompare;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Everything engine-specific about a data comparison: quoting, session settings, how values are
 * normalised to canonical text, the row hash, and the queries themselves. Both engines must produce the
 * same 64-bit row hash for the same logical row in {@link ChecksumMode#PORTABLE} mode; that is what makes
 * PostgreSQL-to-MariaDB comparisons work.
 *
 * <p>Canonical row text (portable mode): the columns in order, joined by {@code |}; a NULL is {@code N};
 * a free-text value is {@code <utf8 byte length>:<text>} so that no separator inside a value can make two
 * different rows render alike; other values render as described in {@link ValueKind} and cannot contain
 * {@code |}. Row hash: the first 16 hex digits of md5 of that text, read as a 64-bit integer. Segment
 * checksum: the sum of the row hashes modulo 2^64 (order-independent).
 */
public interface SqlDialect {

  /** Engine name for messages and results, e.g. {@code PostgreSQL 14.22}. */
  String description();

  /** Quotes an identifier that was validated by {@link SqlIdentifier} and found in the metadata. */
  String quote(String identifier);

  /** Session settings the renderings rely on (UTC time zone, ISO dates, UTF-8). */
  void prepareSession(Connection connection) throws SQLException;

  /** Maps a column's metadata type to how it is rendered. */
  ValueKind kindOf(String typeName, int jdbcType, int columnSize);

  /** SQL expression rendering {@code column} (already quoted as {@code ref}) as canonical text; NULL stays NULL. */
  String canonicalText(ColumnInfo column, String ref);

  /** SQL expression of the portable 64-bit row hash. */
  String portableRowHash(List<ColumnInfo> columns);

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

  /** SQL expression of the bucket index {@code (key - origin) / width} with integer division. */
  String bucketIndex(String quotedKey, long origin, BigInteger width, boolean wide);

  // ---- queries (same SQL shape on both engines; the pieces above differ) ----

  default String rowHash(HashedTable t) {
    String hash = t.mode() == ChecksumMode.POSTGRES_NATIVE ? nativeRowHash(t.columns()) : portableRowHash(t.columns());
    if (hash == null) {
      throw new DataCompareException(description() + " has no " + t.mode() + " row hash");
    }
    return hash;
  }

  /** {@code MIN(key), MAX(key)} within the range: two index probes. */
  default String keyBoundsQuery(HashedTable t, KeyRange range) {
    return "SELECT MIN(" + t.quotedKey() + "), MAX(" + t.quotedKey() + ") FROM " + t.quotedTable()
        + where(rangeFilter(t.quotedKey(), range));
  }

  default String countQuery(HashedTable t, KeyRange range) {
    return "SELECT COUNT(*) FROM " + t.quotedTable() + where(rangeFilter(t.quotedKey(), range));
  }

  /** Count and checksum of a whole range in one aggregate (the "full checksum" of a table). */
  default String totalChecksumQuery(HashedTable t, KeyRange range) {
    return "SELECT COUNT(*), SUM(" + rowHash(t) + ") FROM " + t.quotedTable() + where(rangeFilter(t.quotedKey(), range));
  }

  /** Count and checksum per bucket of {@code grid} over the keys of {@code batch}: one grouped scan. */
  default String bucketChecksumQuery(HashedTable t, BucketGrid grid, KeySpan bounds, BucketBatch batch) {
    String bucket = bucketIndex(t.quotedKey(), grid.origin(), grid.width(), grid.needsWideArithmetic(bounds));
    return "SELECT " + bucket + " AS bucket, COUNT(*), SUM(" + rowHash(t) + ") FROM " + t.quotedTable()
        + " WHERE " + batchFilter(t.quotedKey(), bounds, batch) + " GROUP BY 1";
  }

  /** Key and row hash of every row of {@code batch}; unordered (sorted by the caller) so the engine may scan. */
  default String rowHashQuery(HashedTable t, KeySpan bounds, BucketBatch batch) {
    return "SELECT " + t.quotedKey() + ", " + rowHash(t) + " FROM " + t.quotedTable()
        + " WHERE " + batchFilter(t.quotedKey(), bounds, batch);
  }

  /** The {@code limit} smallest keys of {@code batch}. */
  default String smallestKeysQuery(HashedTable t, KeySpan bounds, BucketBatch batch, int limit) {
    return "SELECT " + t.quotedKey() + " FROM " + t.quotedTable() + " WHERE " + batchFilter(t.quotedKey(), bounds, batch)
        + " ORDER BY " + t.quotedKey() + " LIMIT " + limit;
  }

  /** The keys of a batch: its outer key range, narrowed to the listed buckets if it lists any. */
  default String batchFilter(String key, KeySpan bounds, BucketBatch batch) {
    String outer = between(key, batch.outer());
    if (batch.buckets() == null) {
      return outer;
    }
    BucketGrid grid = batch.grid();
    String bucket = bucketIndex(key, grid.origin(), grid.width(), grid.needsWideArithmetic(bounds));
    StringBuilder in = new StringBuilder(outer).append(" AND ").append(bucket).append(" IN (");
    for (int i = 0; i < batch.buckets().length; i++) {
      in.append(i == 0 ? "" : ",").append(batch.buckets()[i]);
    }
    return in.append(')').toString();
  }

  /** The {@code limit} smallest keys in a range. */
  default String smallestKeysQuery(HashedTable t, KeyRange range, int limit) {
    return "SELECT " + t.quotedKey() + " FROM " + t.quotedTable() + where(rangeFilter(t.quotedKey(), range))
        + " ORDER BY " + t.quotedKey() + " LIMIT " + limit;
  }

  // ---- helpers ----

  /** A long as SQL; negatives in parentheses (so "- -5" can never become a comment), MIN_VALUE as arithmetic. */
  static String literal(long value) {
    if (value == Long.MIN_VALUE) {
      return "(-9223372036854775807-1)";
    }
    return value < 0 ? "(" + value + ")" : Long.toString(value);
  }

  static String rangeFilter(String key, KeyRange range) {
    if (range.fromInclusive() == null && range.toExclusive() == null) {
      return "";
    }
    if (range.toExclusive() == null) {
      return key + " >= " + literal(range.fromInclusive());
    }
    if (range.fromInclusive() == null) {
      return key + " < " + literal(range.toExclusive());
    }
    return key + " >= " + literal(range.fromInclusive()) + " AND " + key + " < " + literal(range.toExclusive());
  }

  static String between(String key, KeySpan span) {
    if (span.first() == span.last()) {
      return key + " = " + literal(span.first());
    }
    return key + " >= " + literal(span.first()) + " AND " + key + " <= " + literal(span.last());
  }

  private static String where(String filter) {
    return filter.isEmpty() ? "" : " WHERE " + filter;
  }
}
