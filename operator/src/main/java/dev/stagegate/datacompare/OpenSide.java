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
  private final List<KeyColumn> keys;
  private final List<ColumnInfo> columns;
  private final int timeoutSeconds;
  private final AtomicInteger queries;
  private HashedTable hashed;

  /** Ranges one query covers when it scans anyway. */
  static final int SCAN_RANGES = 4_096;

  private OpenSide(TableSide side, Connection connection, SqlDialect dialect, String quotedTable, List<KeyColumn> keys,
      List<ColumnInfo> columns, int timeoutSeconds, AtomicInteger queries) {
    this.side = side;
    this.connection = connection;
    this.dialect = dialect;
    this.quotedTable = quotedTable;
    this.keys = keys;
    this.columns = columns;
    this.timeoutSeconds = timeoutSeconds;
    this.queries = queries;
  }

  static OpenSide open(TableSide side, int timeoutSeconds, AtomicInteger queries) {
    Connection connection;
    try {
      connection = side.connection().open();
    } catch (SQLException e) {
      throw DataCompareException.unreachable(side.role() + " (" + side.connection().description() + "): "
          + side.connection().redact(e.getMessage()));
    }
    try {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      SqlDialect dialect = dialectFor(connection);
      dialect.prepareSession(connection);
      OpenSide open = resolve(side, connection, dialect, timeoutSeconds, queries);
      connection = null; // owned by open now
      return open;
    } catch (SQLException e) {
      throw DataCompareException.database(side.role() + " (" + side.connection().description() + "): "
          + side.connection().redact(e.getMessage()), e, false);
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
    throw new DataCompareException("unsupported database " + connection.getMetaData().getDatabaseProductName()
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
    Map<String, int[]> jdbcTypes = new HashMap<>(); // DATA_TYPE and COLUMN_SIZE, for key kinds
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
          jdbcTypes.put(name, new int[] {rs.getInt("DATA_TYPE"), rs.getInt("COLUMN_SIZE")});
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
    List<KeyColumn> keys = new ArrayList<>();
    for (String name : side.keyColumns()) {
      ColumnInfo key = column(side, found, name, "key column");
      int[] type = jdbcTypes.get(key.name());
      KeyKind kind = dialect.keyKindOf(key.typeName(), type[0], type[1]);
      if (kind == null) {
        throw new DataCompareException(side.role() + ": key column '" + key.name() + "' of table " + side.table()
            + " has type " + key.typeName() + "; key columns must be integer, text, uuid, date or timestamp");
      }
      keys.add(dialect.describeKey(connection, side.role(), resolvedName[0], resolvedName[1], key.name(),
          key.typeName(), kind));
    }
    List<ColumnInfo> columns = new ArrayList<>();
    for (String name : side.columns()) {
      columns.add(column(side, found, name, "column"));
    }
    return new OpenSide(side, connection, dialect, quotedTable, keys, columns, timeoutSeconds, queries);
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

  List<KeyColumn> keys() {
    return keys;
  }

  KeyShape keyShape() {
    return new KeyShape(keys.stream().map(KeyColumn::name).toList(), keys.stream().map(KeyColumn::kind).toList());
  }

  /** Fixes the columns' final rendering (decided with the other side) and the hash mode. */
  void useHash(List<ColumnInfo> hashColumns, ChecksumMode mode) {
    this.hashed = new HashedTable(quotedTable, keys, hashColumns, mode);
  }

  HashedTable table() {
    return hashed;
  }

  // ---- queries ----

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

  /** Count and checksum of each range, in the ranges' order; {@code perQuery} ranges a query at most. */
  List<SegmentStats> rangeChecksums(List<KeyRange> ranges, int perQuery) {
    int step = rangesPerQuery(perQuery);
    SegmentStats[] out = new SegmentStats[ranges.size()];
    for (int from = 0; from < ranges.size(); from += step) {
      List<KeyRange> batch = ranges.subList(from, Math.min(ranges.size(), from + step));
      query(dialect.rangeChecksumsQuery(hashed, batch, from), rs -> {
        while (rs.next()) {
          out[rs.getInt(1)] = new SegmentStats(rs.getLong(2), low64(rs.getBigDecimal(3)));
        }
        return null;
      });
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        out[i] = new SegmentStats(0, 0); // a one-scan query returns no group for an empty range
      }
    }
    return List.of(out);
  }

  /** Key and row hash of each row of the ranges, sorted by key. */
  RowHashes rowHashes(List<KeyRange> ranges, int perQuery) {
    int step = rangesPerQuery(perQuery);
    RowHashes out = new RowHashes(side.role());
    int hashColumn = keys.size() + 1;
    for (int from = 0; from < ranges.size(); from += step) {
      query(dialect.rowHashesQuery(hashed, ranges.subList(from, Math.min(ranges.size(), from + step))), rs -> {
        while (rs.next()) {
          out.add(readKey(rs, 1), dialect.readHash(rs, hashColumn));
        }
        return null;
      }, true);
    }
    out.sortByKey();
    return out;
  }

  /** Whether range queries scan the table rather than seek its key index (see {@link SqlDialect}). */
  boolean scans() {
    return dialect.scans(hashed);
  }

  /** The {@code limit} smallest keys of each range (not merged). */
  List<Key> smallestKeys(List<KeyRange> ranges, int limit) {
    return query(dialect.smallestKeysQuery(hashed, ranges, limit), this::keys);
  }

  /** Smallest and largest key in the range, or null when the range holds no rows. */
  Key[] edges(KeyRange range) {
    Key first = query(dialect.edgeKeyQuery(hashed, range, false), rs -> rs.next() ? readKey(rs, 1) : null);
    if (first == null) {
      return null;
    }
    Key last = query(dialect.edgeKeyQuery(hashed, range, true), rs -> rs.next() ? readKey(rs, 1) : null);
    return new Key[] {first, last};
  }

  List<Key> sample(KeyRange range, double fraction) {
    return query(dialect.sampleQuery(hashed, range, fraction), this::keys, true);
  }

  /** For each range, its keys at the given 1-based row numbers in key order, ascending. */
  List<List<Key>> keysAtRowNumbers(List<KeyRange> ranges, List<long[]> rowNumbers, int perQuery) {
    int step = rangesPerQuery(perQuery);
    List<List<Key>> out = new ArrayList<>();
    ranges.forEach(r -> out.add(new ArrayList<>()));
    for (int from = 0; from < ranges.size(); from += step) {
      int to = Math.min(ranges.size(), from + step);
      query(dialect.keysAtRowNumbersQuery(hashed, ranges.subList(from, to), rowNumbers.subList(from, to), from), rs -> {
        while (rs.next()) {
          out.get(rs.getInt(1)).add(readKey(rs, 2));
        }
        return null;
      });
    }
    out.forEach(keys -> keys.sort(null));
    return out;
  }

  /** A scan costs the same for 4,096 ranges as for one; seeks are batched more finely. */
  private int rangesPerQuery(int perQuery) {
    return dialect.scans(hashed) ? Math.max(perQuery, SCAN_RANGES) : perQuery;
  }

  private List<Key> keys(ResultSet rs) throws SQLException {
    List<Key> out = new ArrayList<>();
    while (rs.next()) {
      out.add(readKey(rs, 1));
    }
    return out;
  }

  /** Reads the key columns starting at column {@code first}, as rendered by {@link SqlDialect#keyValue}. */
  private Key readKey(ResultSet rs, int first) throws SQLException {
    List<Object> parts = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).kind() == KeyKind.INTEGER) {
        parts.add(rs.getLong(first + i));
        continue;
      }
      String value = rs.getString(first + i);
      if (value == null) {
        throw new DataCompareException(side.role() + ": key column '" + keys.get(i).name() + "' of " + side.table()
            + " holds NULL; key columns must not be NULL");
      }
      parts.add(value);
    }
    return Key.ofParts(parts);
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
      // A cancel after the statement's whole timeout is the timeout (PostgreSQL only says "due to user request").
      boolean pastTimeout = timeoutSeconds > 0
          && System.nanoTime() - start >= timeoutSeconds * 1_000_000_000L - 50_000_000L;
      DataCompareException failure = DataCompareException.database(side.role() + ": query on " + side.table()
          + " failed (" + e.getSQLState() + "): " + side.connection().redact(e.getMessage()), e, pastTimeout);
      if (failure.timedOut()) {
        throw DataCompareException.database(side.role() + ": a query on " + side.table() + " in the "
            + side.connection().description() + " ran past the " + timeoutSeconds + "s query timeout and was cancelled"
            + " on the server (SQLState " + e.getSQLState() + ")", e, true);
      }
      throw failure;
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
