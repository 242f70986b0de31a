package dev.stagegate.datacompare;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side with an open, read-only, repeatable-read connection (so every level of the bisection sees the
 * same snapshot), its dialect and its table resolved against the metadata. Runs the queries and counts them.
 */
final class OpenSide implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpenSide.class);

  private final TableSide side;
  private final Connection connection;
  private final SqlDialect dialect;
  private final String quotedTable;
  private final ColumnInfo key;
  private final List<ColumnInfo> columns;
  private final int timeoutSeconds;
  private final AtomicInteger queries;
  private HashedTable hashed;

  private OpenSide(TableSide side, Connection connection, SqlDialect dialect, String quotedTable, ColumnInfo key,
      List<ColumnInfo> columns, int timeoutSeconds, AtomicInteger queries) {
    this.side = side;
    this.connection = connection;
    this.dialect = dialect;
    this.quotedTable = quotedTable;
    this.key = key;
    this.columns = columns;
    this.timeoutSeconds = timeoutSeconds;
    this.queries = queries;
  }

  static OpenSide open(TableSide side, int timeoutSeconds, AtomicInteger queries) {
    Connection connection = null;
    try {
      connection = side.connection().open();
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      SqlDialect dialect = dialectFor(connection);
      dialect.prepareSession(connection);
      OpenSide open = resolve(side, connection, dialect, timeoutSeconds, queries);
      connection = null; // owned by open now
      return open;
    } catch (SQLException e) {
      throw new DataCompareException(side.role() + " (" + side.connection().description() + "): "
          + side.connection().redact(e.getMessage()));
    } finally {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // already failing
        }
      }
    }
  }

  static SqlDialect dialectFor(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return PostgresDialect.detect(connection);
    }
    if (product.contains("mariadb") || product.contains("mysql")) {
      return MariaDbDialect.detect(connection);
    }
    throw new SQLException("unsupported database " + connection.getMetaData().getDatabaseProductName()
        + " (PostgreSQL and MariaDB/MySQL are supported)");
  }

  private static OpenSide resolve(TableSide side, Connection connection, SqlDialect dialect, int timeoutSeconds,
      AtomicInteger queries) throws SQLException {
    List<String> parts = SqlIdentifier.qualifiedName(side.role() + ": table", side.table());
    String tableName = parts.get(parts.size() - 1);
    boolean postgres = dialect instanceof PostgresDialect;
    String container = parts.size() == 2 ? parts.get(0) : (postgres ? connection.getSchema() : connection.getCatalog());
    DatabaseMetaData meta = connection.getMetaData();

    Map<String, ColumnInfo> found = new LinkedHashMap<>();
    String[] resolvedName = new String[2];
    for (String candidate : List.of(tableName, tableName.toLowerCase(Locale.ROOT), tableName.toUpperCase(Locale.ROOT))) {
      String pattern = escapePattern(candidate, meta.getSearchStringEscape());
      String catalog = postgres ? null : container;
      String schema = postgres && container != null ? escapePattern(container, meta.getSearchStringEscape()) : null;
      try (ResultSet rs = meta.getColumns(catalog, schema, pattern, "%")) {
        while (rs.next()) {
          if (!candidate.equals(rs.getString("TABLE_NAME"))
              || (postgres && container != null && !container.equalsIgnoreCase(rs.getString("TABLE_SCHEM")))) {
            continue; // a pattern match on another table
          }
          String name = rs.getString("COLUMN_NAME");
          String type = rs.getString("TYPE_NAME");
          ValueKind kind = dialect.kindOf(type, rs.getInt("DATA_TYPE"), rs.getInt("COLUMN_SIZE"));
          found.put(name, new ColumnInfo(name, type, kind, kind.freeText()));
          resolvedName[0] = postgres ? rs.getString("TABLE_SCHEM") : rs.getString("TABLE_CAT");
          resolvedName[1] = candidate;
        }
      }
      if (!found.isEmpty()) {
        break;
      }
    }
    if (found.isEmpty()) {
      throw new DataCompareException(side.role() + ": table '" + side.table() + "' not found"
          + (container == null ? "" : " in " + (postgres ? "schema" : "database") + " '" + container + "'")
          + " (" + side.connection().description() + ")");
    }
    String quotedTable = (resolvedName[0] == null ? "" : dialect.quote(resolvedName[0]) + ".") + dialect.quote(resolvedName[1]);
    ColumnInfo key = column(side, found, side.key(), "key column");
    if (key.kind() != ValueKind.INTEGER) {
      throw new DataCompareException(side.role() + ": key column '" + key.name() + "' of table " + side.table()
          + " has type " + key.typeName() + "; only integer keys (smallint, integer, bigint) are supported");
    }
    List<ColumnInfo> columns = new ArrayList<>();
    for (String name : side.columns()) {
      columns.add(column(side, found, name, "column"));
    }
    return new OpenSide(side, connection, dialect, quotedTable, key, columns, timeoutSeconds, queries);
  }

  private static ColumnInfo column(TableSide side, Map<String, ColumnInfo> found, String name, String what) {
    ColumnInfo exact = found.get(name);
    if (exact != null) {
      return exact;
    }
    List<ColumnInfo> matches = found.values().stream().filter(c -> c.name().equalsIgnoreCase(name)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    throw new DataCompareException(side.role() + ": " + what + " '" + name + "' not found in table " + side.table()
        + "; it has " + String.join(", ", found.keySet()));
  }

  private static String escapePattern(String name, String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }

  // ---- accessors ----

  TableSide side() {
    return side;
  }

  SqlDialect dialect() {
    return dialect;
  }

  List<ColumnInfo> columns() {
    return columns;
  }

  /** Fixes the columns' final rendering (decided with the other side) and the hash mode. */
  void useHash(List<ColumnInfo> hashColumns, ChecksumMode mode) {
    this.hashed = new HashedTable(quotedTable, dialect.quote(key.name()), hashColumns, mode);
  }

  HashedTable table() {
    return hashed;
  }

  // ---- queries ----

  /** Smallest and largest key in the range, or null when the range holds no rows. */
  KeySpan keyBounds(KeyRange range) {
    return query(dialect.keyBoundsQuery(hashed, range), rs -> {
      rs.next();
      long min = rs.getLong(1);
      if (rs.wasNull()) {
        return null;
      }
      return new KeySpan(min, rs.getLong(2));
    });
  }

  long count(KeyRange range) {
    return query(dialect.countQuery(hashed, range), rs -> {
      rs.next();
      return rs.getLong(1);
    });
  }

  SegmentStats totalChecksum(KeyRange range) {
    return query(dialect.totalChecksumQuery(hashed, range), rs -> {
      rs.next();
      return new SegmentStats(rs.getLong(1), low64(rs.getBigDecimal(2)));
    });
  }

  Map<Long, SegmentStats> bucketChecksums(BucketGrid grid, KeySpan bounds, BucketBatch batch) {
    return query(dialect.bucketChecksumQuery(hashed, grid, bounds, batch), rs -> {
      Map<Long, SegmentStats> out = new HashMap<>();
      while (rs.next()) {
        out.put(rs.getLong(1), new SegmentStats(rs.getLong(2), low64(rs.getBigDecimal(3))));
      }
      return out;
    });
  }

  /** Key and row hash of each row of the batch, sorted by key. */
  RowHashes rowHashes(KeySpan bounds, BucketBatch batch) {
    return query(dialect.rowHashQuery(hashed, bounds, batch), rs -> {
      RowHashes out = new RowHashes();
      while (rs.next()) {
        out.add(rs.getLong(1), dialect.readHash(rs, 2));
      }
      out.sortByKey();
      return out;
    }, true);
  }

  List<Long> smallestKeys(KeySpan bounds, BucketBatch batch, int limit) {
    return query(dialect.smallestKeysQuery(hashed, bounds, batch, limit), OpenSide::keys);
  }

  List<Long> smallestKeys(KeyRange range, int limit) {
    return query(dialect.smallestKeysQuery(hashed, range, limit), OpenSide::keys);
  }

  private static List<Long> keys(ResultSet rs) throws SQLException {
    List<Long> out = new ArrayList<>();
    while (rs.next()) {
      out.add(rs.getLong(1));
    }
    return out;
  }

  /** A sum of row hashes, reduced modulo 2^64: signed (PostgreSQL) and unsigned (MariaDB) sums then agree. */
  static long low64(BigDecimal sum) {
    return sum == null ? 0 : sum.toBigInteger().longValue();
  }

  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T query(String sql, Reader<T> reader) {
    return query(sql, reader, false);
  }

  /**
   * Runs one query. Only row-hash fetches stream ({@code stream}): PostgreSQL never runs a query in parallel
   * when the client fetches it in chunks, and the big grouped scans must be able to use parallel workers.
   */
  private <T> T query(String sql, Reader<T> reader, boolean stream) {
    queries.incrementAndGet();
    long start = System.nanoTime();
    try (Statement st = connection.createStatement()) {
      st.setQueryTimeout(timeoutSeconds);
      if (stream) {
        st.setFetchSize(10_000); // large row-hash fetches: bounded driver memory
      }
      try (ResultSet rs = st.executeQuery(sql)) {
        return reader.read(rs);
      } finally {
        if (LOG.isDebugEnabled()) {
          LOG.debug("{}: {} ms: {}", side.role(), (System.nanoTime() - start) / 1_000_000,
              sql.length() > 300 ? sql.substring(0, 300) + "..." : sql);
        }
      }
    } catch (SQLException e) {
      throw new DataCompareException(side.role() + ": query on " + side.table() + " failed ("
          + e.getSQLState() + "): " + side.connection().redact(e.getMessage()));
    }
  }

  @Override
  public void close() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // read-only transaction; closing discards it anyway
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to do
    }
  }
}
