package dev.stagegate.datacompare;

import java.util.List;
import java.util.Objects;

/**
 * One side of a comparison: where to connect, which table, its key columns (one, or several for a composite
 * key, in key order) and the columns to compare (paired by position with the other side's). Names are
 * validated here as plain identifiers, and checked against the table's metadata when the comparison opens
 * the connection.
 *
 * @param role "source" or "target"; names the side in every error
 * @param table {@code table} or {@code schema.table} (MariaDB: {@code database.table})
 */
public record TableSide(String role, ConnectionSource connection, String table, List<String> keyColumns, List<String> columns) {

  public TableSide {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(connection, role + ": connection");
    SqlIdentifier.qualifiedName(role + ": table", table);
    if (keyColumns == null || keyColumns.isEmpty()) {
      throw new DataCompareException(role + ": no key column");
    }
    for (String key : keyColumns) {
      SqlIdentifier.name(role + ": key column", key);
    }
    if (columns == null || columns.isEmpty()) {
      throw new DataCompareException(role + ": no columns to compare");
    }
    for (String column : columns) {
      SqlIdentifier.name(role + ": column", column);
    }
    keyColumns = List.copyOf(keyColumns);
    columns = List.copyOf(columns);
  }

  /** A one-column key. */
  public TableSide(String role, ConnectionSource connection, String table, String key, List<String> columns) {
    this(role, connection, table, key == null ? null : List.of(key), columns);
  }

  public static TableSide source(ConnectionSource connection, String table, String key, List<String> columns) {
    return new TableSide("source", connection, table, key, columns);
  }

  public static TableSide target(ConnectionSource connection, String table, String key, List<String> columns) {
    return new TableSide("target", connection, table, key, columns);
  }

  public static TableSide source(ConnectionSource connection, String table, List<String> keyColumns, List<String> columns) {
    return new TableSide("source", connection, table, keyColumns, columns);
  }

  public static TableSide target(ConnectionSource connection, String table, List<String> keyColumns, List<String> columns) {
    return new TableSide("target", connection, table, keyColumns, columns);
  }

  @Override
  public String toString() {
    return role + " " + table + " on " + connection.description();
  }
}
