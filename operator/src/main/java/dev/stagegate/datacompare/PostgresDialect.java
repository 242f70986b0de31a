package dev.stagegate.datacompare;

import java.math.BigInteger;
import java.sql.Connection;
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

  public PostgresDialect(int majorVersion, String version, boolean utf8) {
    this.majorVersion = majorVersion;
    this.version = version;
    this.utf8 = utf8;
  }

  static PostgresDialect detect(Connection connection) throws SQLException {
    String encoding;
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW server_encoding")) {
      rs.next();
      encoding = rs.getString(1);
    }
    var meta = connection.getMetaData();
    return new PostgresDialect(meta.getDatabaseMajorVersion(), meta.getDatabaseProductVersion(),
        "UTF8".equalsIgnoreCase(encoding));
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
      // The planner cannot tell that (key - origin) / width has a few dozen values: it would sort (even spill)
      // every row to group them. Discouraging sorts makes it hash into a few KB; key-ordered fetches use the
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
  public String portableRowHash(List<ColumnInfo> columns) {
    String row = columns.stream().map(this::field).collect(Collectors.joining(" || '|' || "));
    String bytes = utf8 ? row : "convert_to(" + row + ", 'UTF8')";
    return "('x' || left(md5(" + bytes + "), 16))::bit(64)::bigint";
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
  public String bucketIndex(String key, long origin, BigInteger width, boolean wide) {
    if (wide) {
      return "div(" + key + "::numeric - " + SqlDialect.literal(origin) + ", " + width + ")";
    }
    // bigint arithmetic even for integer keys, so a wide int4 span cannot overflow.
    return "(" + key + "::bigint - " + SqlDialect.literal(origin) + ") / " + width.longValueExact();
  }
}
