package dev.stagegate.datacompare;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** MariaDB and MySQL: the portable md5 row hash only (no fast 64-bit hash in SQL). */
public final class MariaDbDialect implements SqlDialect {

  private final String version;

  public MariaDbDialect(String version) {
    this.version = version;
  }

  static MariaDbDialect detect(Connection connection) throws SQLException {
    return new MariaDbDialect(connection.getMetaData().getDatabaseProductVersion());
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
  public String portableRowHash(List<ColumnInfo> columns) {
    String row = columns.stream().map(this::field).collect(Collectors.joining(", '|', "));
    return "CAST(CONV(LEFT(MD5(CONVERT(CONCAT(" + row + ") USING utf8mb4)), 16), 16, 10) AS UNSIGNED)";
  }

  @Override
  public long readHash(ResultSet rs, int index) throws SQLException {
    return Long.parseUnsignedLong(rs.getString(index));
  }

  @Override
  public String bucketIndex(String key, long origin, BigInteger width, boolean wide) {
    if (wide) {
      return "((CAST(" + key + " AS DECIMAL(20,0)) - " + SqlDialect.literal(origin) + ") DIV " + width + ")";
    }
    return "((" + key + " - " + SqlDialect.literal(origin) + ") DIV " + width.longValueExact() + ")";
  }
}
