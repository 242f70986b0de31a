package dev.stagegate.datacompare;

import java.util.List;

/**
 * One side's table as the queries need it: quoted (and schema-qualified) table, its key columns, the
 * resolved columns and the row hash to use. Built only from names found in the database's metadata.
 */
public record HashedTable(String quotedTable, List<KeyColumn> keys, List<ColumnInfo> columns, ChecksumMode mode) {

  public HashedTable {
    keys = List.copyOf(keys);
    columns = List.copyOf(columns);
  }
}
