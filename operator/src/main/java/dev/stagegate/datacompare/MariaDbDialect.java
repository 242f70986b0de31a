package dev.stagegate.datacompare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** MariaDB and MySQL: the portable row hash only (no fast 64-bit hash in SQL); md5, or SHA-256 where md5 is off. */
public final class MariaDbDialect implements SqlDialect {

  private final String version;
  private final boolean md5;

  public MariaDbDialect(String version, boolean md5) {
    this.version = version;
    this.md5 = md5;
  }

  static MariaDbDialect detect(Connection connection) throws SQLException {
    boolean md5;
    // A server in FIPS mode may refuse MD5() or answer NULL; then both sides hash with SHA-256.
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT MD5('')")) {
      md5 = rs.next() && rs.getString(1) != null;
    } catch (SQLException e) {
      md5 = false;
    }
    return new MariaDbDialect(connection.getMetaData().getDatabaseProductVersion(), md5);
  }

  @Override
  public boolean supportsMd5() {
    return md5;
  }

  @Override
  public String description() {
    return "MariaDB/MySQL " + version;
  }

  @Override
  public String quote(String identifier) {
    return '`' + identifier + '`';
  }

  @Override
  public void prepareSession(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      // TIMESTAMP columns render in the session zone: make it UTC. Hash text is built in utf8mb4.
      st.execute("SET time_zone = '+00:00'");
      st.execute("SET NAMES utf8mb4");
    }
  }

  @Override
  public ValueKind kindOf(String typeName, int jdbcType, int columnSize) {
    String type = typeName.toUpperCase(Locale.ROOT).replace(" UNSIGNED", "").replace(" SIGNED", "");
    if (jdbcType == java.sql.Types.BOOLEAN || (jdbcType == java.sql.Types.BIT && columnSize <= 1)) {
      return ValueKind.BOOLEAN; // TINYINT(1), BOOLEAN, BIT(1)
    }
    return switch (type) {
      case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "YEAR" -> ValueKind.INTEGER;
      case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> ValueKind.DECIMAL;
      case "FLOAT", "DOUBLE", "REAL", "DOUBLE PRECISION" -> ValueKind.FLOAT;
      case "CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET", "JSON" -> ValueKind.TEXT;
      case "BOOL", "BOOLEAN" -> ValueKind.BOOLEAN;
      case "DATE" -> ValueKind.DATE;
      case "TIME" -> ValueKind.TIME;
      case "DATETIME" -> ValueKind.TIMESTAMP;
      case "TIMESTAMP" -> ValueKind.TIMESTAMP_TZ; // stored as UTC instants, rendered in the session zone (UTC)
      case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> ValueKind.BINARY;
      default -> ValueKind.OTHER;
    };
  }

  @Override
  public String canonicalText(ColumnInfo column, String c) {
    return switch (column.kind()) {
      case INTEGER, FLOAT, DATE -> "CAST(" + c + " AS CHAR)";
      case DECIMAL -> "IF(LOCATE('.', CAST(" + c + " AS CHAR)) > 0, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST("
          + c + " AS CHAR))), CAST(" + c + " AS CHAR))";
      case TEXT -> "CONVERT(" + c + " USING utf8mb4)";
      case BOOLEAN -> "(CASE WHEN " + c + " IS NULL THEN NULL WHEN " + c + " <> 0 THEN 'true' ELSE 'false' END)";
      case TIME -> "TIME_FORMAT(" + c + ", '%H:%i:%s.%f')";
      case TIMESTAMP, TIMESTAMP_TZ -> "DATE_FORMAT(" + c + ", '%Y-%m-%dT%H:%i:%s.%fZ')";
      case BINARY -> "LOWER(HEX(" + c + "))";
      case OTHER -> "CONVERT(CAST(" + c + " AS CHAR) USING utf8mb4)";
    };
  }

  private String field(ColumnInfo column) {
    String text = canonicalText(column, quote(column.name()));
    if (!column.lengthPrefixed()) {
      return "IFNULL(" + text + ", 'N')";
    }
    // LENGTH counts bytes of the utf8mb4 text, like PostgreSQL's octet_length of UTF-8 text.
    return "IFNULL(CONCAT(LENGTH(" + text + "), ':', " + text + "), 'N')";
  }

  @Override
  public String portableRowHash(List<ColumnInfo> columns, boolean sha256) {
    String row = columns.stream().map(this::field).collect(Collectors.joining(", '|', "));
    String text = "CONVERT(CONCAT(" + row + ") USING utf8mb4)";
    String hex = sha256 ? "SHA2(" + text + ", 256)" : "MD5(" + text + ")";
    return "CAST(CONV(LEFT(" + hex + ", 16), 16, 10) AS UNSIGNED)";
  }

  @Override
  public long readHash(ResultSet rs, int index) throws SQLException {
    return Long.parseUnsignedLong(rs.getString(index));
  }

  /** BIGINT UNSIGNED is left out: its values above 2^63 do not fit a key part. */
  @Override
  public KeyKind keyKindOf(String typeName, int jdbcType, int columnSize) {
    return switch (typeName.toUpperCase(Locale.ROOT).replace(" SIGNED", "")) {
      case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT",
          "TINYINT UNSIGNED", "SMALLINT UNSIGNED", "MEDIUMINT UNSIGNED", "INT UNSIGNED" -> KeyKind.INTEGER;
      case "CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "BINARY", "VARBINARY" -> KeyKind.TEXT;
      case "UUID" -> KeyKind.UUID;
      case "DATE" -> KeyKind.DATE;
      case "DATETIME", "TIMESTAMP" -> KeyKind.TIMESTAMP;
      default -> null;
    };
  }

  /**
   * Only a utf8mb4 column with a NO PAD binary collation ({@code utf8mb4_nopad_bin}, MySQL's
   * {@code utf8mb4_0900_bin}) orders and matches by code points, so only then do range filters seek its
   * index. Every other collation (case- or accent-insensitive, PAD SPACE {@code _bin}, latin1) is read through
   * its UTF-8 bytes, one scan per query. MariaDB's native UUID type orders its bytes in its own way: same.
   */
  @Override
  public KeyColumn describeKey(Connection connection, String role, String database, String table, String column,
      String typeName, KeyKind kind) throws SQLException {
    if (kind == KeyKind.UUID) {
      return new KeyColumn(column, typeName, kind, null, false);
    }
    if (kind != KeyKind.TEXT) {
      return new KeyColumn(column, typeName, kind, null, true);
    }
    String charset = null;
    String collation = null;
    try (PreparedStatement ps = connection.prepareStatement("SELECT CHARACTER_SET_NAME, COLLATION_NAME"
        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, database);
      ps.setString(2, table);
      ps.setString(3, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          charset = rs.getString(1);
          collation = rs.getString(2);
        }
      }
    }
    if (charset == null || "binary".equalsIgnoreCase(charset)) {
      throw new DataCompareException(role + ": key column '" + column + "' of " + table + " has collation "
          + (collation == null ? "binary" : collation) + " (bytes, not text): it has no text order both sides can"
          + " agree on; give it a character set (e.g. utf8mb4 COLLATE utf8mb4_nopad_bin)");
    }
    String c = collation.toLowerCase(Locale.ROOT);
    boolean binary = "utf8mb4".equalsIgnoreCase(charset) && (c.endsWith("_nopad_bin") || c.equals("utf8mb4_0900_bin"));
    return new KeyColumn(column, typeName, kind, collation, binary);
  }

  @Override
  public String keyOrder(KeyColumn key) {
    String c = quote(key.name());
    if (key.seekable()) {
      return c;
    }
    return switch (key.kind()) {
      case TEXT -> "CAST(CONVERT(" + c + " USING utf8mb4) AS BINARY)";
      case UUID -> "CAST(LOWER(CAST(" + c + " AS CHAR)) AS BINARY)";
      default -> c;
    };
  }

  @Override
  public String keyValue(KeyColumn key) {
    String c = quote(key.name());
    return switch (key.kind()) {
      case INTEGER -> c;
      case TEXT -> "CONVERT(" + c + " USING utf8mb4)";
      case UUID -> "LOWER(CAST(" + c + " AS CHAR))";
      case DATE -> "DATE_FORMAT(" + c + ", '%Y-%m-%d')";
      case TIMESTAMP -> "DATE_FORMAT(" + c + ", '%Y-%m-%dT%H:%i:%s.%f')";
    };
  }

  /** Text as hex of its UTF-8 bytes: no escaping rules (backslashes, sql_mode) can change it. */
  @Override
  public String keyLiteral(KeyColumn key, Object part) {
    if (part instanceof Long n) {
      return SqlDialect.literal(n);
    }
    String text = (String) part;
    return switch (key.kind()) {
      case INTEGER -> throw new DataCompareException("integer key column " + key.name() + " given text " + part);
      case TEXT, UUID -> key.seekable()
          ? "_utf8mb4 X'" + SqlDialect.utf8Hex(text) + "' COLLATE " + key.collation()
          : "X'" + SqlDialect.utf8Hex(text) + "'";
      case DATE -> "DATE'" + text + "'";
      case TIMESTAMP -> "TIMESTAMP'" + text.replace('T', ' ') + "'";
    };
  }

  /** Composite bounds in the expanded OR form, which MariaDB/MySQL's range optimizer turns into index ranges. */
  @Override
  public boolean rowComparisons() {
    return false;
  }

  @Override
  public String sampleQuery(HashedTable t, KeyRange range, double fraction) {
    String filter = rangeFilter(t, range);
    return "SELECT " + keyValues(t) + " FROM " + t.quotedTable() + " WHERE " + (filter.isEmpty() ? "" : filter + " AND ")
        + "RAND() < " + String.format(Locale.ROOT, "%.9f", fraction);
  }
}
