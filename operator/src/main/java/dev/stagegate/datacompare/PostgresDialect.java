package dev.stagegate.datacompare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** PostgreSQL: md5-based portable hash, plus {@code hash_record_extended} (14+) between PostgreSQL databases. */
public final class PostgresDialect implements SqlDialect {

  private final int majorVersion;
  private final String version;
  private final boolean utf8;
  private final String encoding;

  public PostgresDialect(int majorVersion, String version, String encoding) {
    this.majorVersion = majorVersion;
    this.version = version;
    this.encoding = encoding;
    this.utf8 = "UTF8".equalsIgnoreCase(encoding);
  }

  static PostgresDialect detect(Connection connection) throws SQLException {
    String encoding;
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW server_encoding")) {
      rs.next();
      encoding = rs.getString(1);
    }
    var meta = connection.getMetaData();
    return new PostgresDialect(meta.getDatabaseMajorVersion(), meta.getDatabaseProductVersion(), encoding);
  }

  boolean utf8() {
    return utf8;
  }

  @Override
  public String description() {
    return "PostgreSQL " + version;
  }

  @Override
  public String quote(String identifier) {
    return '"' + identifier + '"';
  }

  @Override
  public void prepareSession(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      // Renderings below depend on these: timestamptz in UTC, dates as YYYY-MM-DD, shortest exact floats.
      st.execute("SET TIME ZONE 'UTC'");
      st.execute("SET DateStyle = 'ISO, YMD'");
      st.execute("SET extra_float_digits = 1");
      // Text key literals are written with '' escaping only; backslashes must stay plain characters.
      st.execute("SET standard_conforming_strings = on");
      // The planner cannot tell that the segment index (a CASE over the key) has a few thousand values at
      // most: it would sort (even spill) every row to group them. Discouraging sorts makes it hash into a few KB; key-ordered fetches use the
      // key's index anyway.
      st.execute("SET enable_sort = off");
      // Same misestimate: millions of "groups" make gathering partial aggregates look expensive, so the big
      // grouped scan would run in one process. Cheap tuple transfer lets it use parallel workers like a plain
      // aggregate does; worker start-up cost still keeps small queries serial.
      st.execute("SET parallel_tuple_cost = 0.001");
    }
  }

  @Override
  public ValueKind kindOf(String typeName, int jdbcType, int columnSize) {
    switch (typeName.toLowerCase(Locale.ROOT)) {
      case "int2": case "int4": case "int8": case "smallserial": case "serial": case "bigserial":
        return ValueKind.INTEGER;
      case "numeric":
        return ValueKind.DECIMAL;
      case "float4": case "float8":
        return ValueKind.FLOAT;
      case "text": case "varchar": case "bpchar": case "char": case "name":
        return ValueKind.TEXT;
      case "bool":
        return ValueKind.BOOLEAN;
      case "date":
        return ValueKind.DATE;
      case "time":
        return ValueKind.TIME;
      case "timestamp":
        return ValueKind.TIMESTAMP;
      case "timestamptz":
        return ValueKind.TIMESTAMP_TZ;
      case "bytea":
        return ValueKind.BINARY;
      default:
        return ValueKind.OTHER; // uuid, json, money, enums, domains...: their text output
    }
  }

  @Override
  public String canonicalText(ColumnInfo column, String c) {
    return switch (column.kind()) {
      case INTEGER, FLOAT, TEXT, BOOLEAN, DATE, OTHER -> c + "::text"; // bool::text is true/false
      case DECIMAL -> majorVersion >= 13
          ? "trim_scale(" + c + ")::text"
          : "(CASE WHEN strpos(" + c + "::text, '.') > 0 THEN rtrim(rtrim(" + c + "::text, '0'), '.') ELSE " + c + "::text END)";
      case TIME -> "(CASE WHEN strpos(" + c + "::text, '.') = 0 THEN " + c + "::text || '.000000' ELSE rpad(" + c + "::text, 15, '0') END)";
      case TIMESTAMP -> "to_char(" + c + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
      case TIMESTAMP_TZ -> "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
      case BINARY -> "encode(" + c + ", 'hex')";
    };
  }

  private String field(ColumnInfo column) {
    String text = canonicalText(column, quote(column.name()));
    if (!column.lengthPrefixed()) {
      return "coalesce(" + text + ", 'N')";
    }
    String bytes = utf8 ? "octet_length(" + text + ")" : "octet_length(convert_to(" + text + ", 'UTF8'))";
    return "coalesce(" + bytes + " || ':' || " + text + ", 'N')";
  }

  @Override
  public String portableRowHash(List<ColumnInfo> columns, boolean sha256) {
    String row = columns.stream().map(this::field).collect(Collectors.joining(" || '|' || "));
    String bytes = utf8 ? row : "convert_to(" + row + ", 'UTF8')";
    String hex = sha256 ? "encode(sha256(convert_to(" + row + ", 'UTF8')), 'hex')" : "md5(" + bytes + ")";
    return "('x' || left(" + hex + ", 16))::bit(64)::bigint";
  }

  @Override
  public boolean supportsNativeHash() {
    return majorVersion >= 14;
  }

  @Override
  public String nativeRowHash(List<ColumnInfo> columns) {
    if (!supportsNativeHash()) {
      return null;
    }
    // OTHER types may lack a hash function (json, xml): hash their text instead.
    String row = columns.stream()
        .map(col -> col.kind() == ValueKind.OTHER ? quote(col.name()) + "::text" : quote(col.name()))
        .collect(Collectors.joining(", "));
    return "hash_record_extended(ROW(" + row + "), 0)";
  }

  @Override
  public long readHash(ResultSet rs, int index) throws SQLException {
    return rs.getLong(index);
  }

  @Override
  public KeyKind keyKindOf(String typeName, int jdbcType, int columnSize) {
    return switch (typeName.toLowerCase(Locale.ROOT)) {
      case "int2", "int4", "int8", "smallserial", "serial", "bigserial" -> KeyKind.INTEGER;
      case "text", "varchar", "bpchar" -> KeyKind.TEXT;
      case "uuid" -> KeyKind.UUID;
      case "date" -> KeyKind.DATE;
      case "timestamp", "timestamptz" -> KeyKind.TIMESTAMP;
      default -> null;
    };
  }

  /**
   * A text key's collation decides how its ranges are queried: under C/POSIX/ucs_basic the column's own
   * order is code-point order, so {@code key >= 'x'} seeks its index; under any linguistic collation (en_US,
   * ICU) the order differs and ranges are assigned by comparing {@code key COLLATE "C"} in one scan.
   */
  @Override
  public KeyColumn describeKey(Connection connection, String role, String schema, String table, String column,
      String typeName, KeyKind kind) throws SQLException {
    if (kind != KeyKind.TEXT) {
      return new KeyColumn(column, typeName, kind, null, true);
    }
    String collation = "default";
    String databaseCollation = null;
    try (PreparedStatement ps = connection.prepareStatement("SELECT co.collname,"
        + " (SELECT datcollate FROM pg_database WHERE datname = current_database())"
        + " FROM pg_attribute a JOIN pg_collation co ON co.oid = a.attcollation"
        + " WHERE a.attrelid = to_regclass(?) AND a.attname = ?")) {
      ps.setString(1, quote(schema) + "." + quote(table));
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          collation = rs.getString(1);
          databaseCollation = rs.getString(2);
        }
      }
    }
    String shown = "default".equals(collation) ? "default (" + databaseCollation + ")" : "\"" + collation + "\"";
    if (!utf8) {
      // COLLATE "C" orders by the server encoding's bytes, which is code-point order only in UTF-8.
      throw new DataCompareException(role + ": key column '" + column + "' of " + table + " is text with collation "
          + shown + " in a " + encoding + " database; text keys are ordered and matched by Unicode code points"
          + " on both sides, which needs a UTF8 database, so the two sides cannot agree on key order");
    }
    String effective = "default".equals(collation) ? databaseCollation : collation;
    // bpchar compares with its padding stripped, and its index does too: never seek it with text literals.
    boolean binary = List.of("C", "POSIX", "ucs_basic").contains(effective) && !"bpchar".equalsIgnoreCase(typeName);
    return new KeyColumn(column, typeName, kind, shown, binary);
  }

  @Override
  public String keyOrder(KeyColumn key) {
    String c = quote(key.name());
    if (key.kind() == KeyKind.TEXT && !key.seekable()) {
      return "bpchar".equalsIgnoreCase(key.typeName()) ? "(" + c + "::text COLLATE \"C\")" : "(" + c + " COLLATE \"C\")";
    }
    return c;
  }

  @Override
  public String keyValue(KeyColumn key) {
    String c = quote(key.name());
    return switch (key.kind()) {
      case INTEGER -> c;
      case TEXT, UUID -> c + "::text";
      case DATE -> "to_char(" + c + ", 'YYYY-MM-DD')";
      case TIMESTAMP -> "to_char(" + c + ("timestamptz".equalsIgnoreCase(key.typeName()) ? " AT TIME ZONE 'UTC'" : "")
          + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US')";
    };
  }

  @Override
  public String keyLiteral(KeyColumn key, Object part) {
    if (part instanceof Long n) {
      return SqlDialect.literal(n);
    }
    String text = "'" + ((String) part).replace("'", "''") + "'";
    return switch (key.kind()) {
      case INTEGER -> throw new DataCompareException("integer key column " + key.name() + " given text " + part);
      // A varchar literal keeps "varchar_col >= lit" on the column's own btree operator, so its index is used.
      case TEXT -> key.seekable() && "varchar".equalsIgnoreCase(key.typeName()) ? text + "::varchar" : text;
      case UUID -> text + "::uuid";
      case DATE -> "DATE " + text;
      case TIMESTAMP -> "timestamptz".equalsIgnoreCase(key.typeName()) ? "('" + part + "Z'::timestamptz)" : "TIMESTAMP " + text;
    };
  }

  @Override
  public boolean rowComparisons() {
    return true;
  }

  /** Keys of about {@code fraction} of the rows: block-free BERNOULLI sampling of a whole table, else a filter. */
  @Override
  public String sampleQuery(HashedTable t, KeyRange range, double fraction) {
    if (range.fromInclusive() == null && range.toExclusive() == null) {
      return "SELECT " + keyValues(t) + " FROM " + t.quotedTable() + " TABLESAMPLE BERNOULLI ("
          + String.format(Locale.ROOT, "%.6f", fraction * 100) + ")";
    }
    return "SELECT " + keyValues(t) + " FROM " + t.quotedTable() + " WHERE " + rangeFilter(t, range)
        + " AND random() < " + String.format(Locale.ROOT, "%.9f", fraction);
  }
}
