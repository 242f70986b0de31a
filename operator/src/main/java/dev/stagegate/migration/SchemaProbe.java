package dev.stagegate.migration;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a table looks like from a read-only session: its columns and their JDBC types, read from an empty
 * result ({@code SELECT * ... WHERE 1 = 0}) so the engine resolves the name exactly as it would in the
 * user's own queries. The table name was validated as a plain (optionally schema-qualified) identifier.
 */
final class SchemaProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A column as the database reports it. */
  record Column(String name, int jdbcType, String typeName) {
    boolean integer() {
      return jdbcType == Types.TINYINT || jdbcType == Types.SMALLINT || jdbcType == Types.INTEGER
          || jdbcType == Types.BIGINT;
    }
  }

  private SchemaProbe() {}

  /** The table's columns by lower-case name, or empty when the table does not exist (or cannot be read). */
  static Optional<Map<String, Column>> columns(ReadOnlySession session, String table) throws SQLException {
    try (Statement st = session.statement(TIMEOUT);
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      Map<String, Column> columns = new LinkedHashMap<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String name = meta.getColumnName(i);
        columns.put(name.toLowerCase(Locale.ROOT), new Column(name, meta.getColumnType(i), meta.getColumnTypeName(i)));
      }
      return Optional.of(columns);
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("42")) {
        return Optional.empty();
      }
      throw e;
    } finally {
      session.connection().rollback();
    }
  }
}
