package dev.stagegate.datacompare;

import java.util.List;

/**
 * One side's table as the queries need it: quoted (and schema-qualified) table and key, the resolved
 * columns and the row hash to use. Built only from names found in the database's metadata.
 */
public record HashedTable(String quotedTable, String quotedKey, List<ColumnInfo> columns, ChecksumMode mode) {

  public HashedTable {
    columns = List.copyOf(columns);
  }
}
