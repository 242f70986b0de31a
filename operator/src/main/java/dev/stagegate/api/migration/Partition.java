package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The source table and the key whose row quantiles split the records into stages: an integer column, or a
 * text, UUID or date column, or several columns (a composite key, {@code key} then {@code thenBy}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Partition {
  /** Plain SQL identifiers only: they are validated, then resolved against the database's own metadata. */
  public static final String TABLE_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$";
  public static final String COLUMN_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,62}$";

  @Required
  @Pattern(TABLE_PATTERN)
  @JsonPropertyDescription("Source table, optionally schema-qualified (schema.table).")
  private String table;

  @Required
  @Pattern(COLUMN_PATTERN)
  @JsonPropertyDescription("Column ordering the records (its first column for a composite key); stage k loads keys [keyFrom, keyTo).")
  private String key;

  @Size(max = 3)
  @JsonPropertyDescription("Further key columns of a composite key, in key order after `key` (plain SQL identifiers).")
  private List<String> thenBy;

  @JsonPropertyDescription("Order and equality of text key columns on both databases; required when a key column is text. "
      + "Binary: Unicode code points exactly as stored.")
  private KeyCollation collation;

  public Partition() {}

  public Partition(String table, String key) {
    this.table = table;
    this.key = key;
  }

  public String getTable() { return table; }
  public void setTable(String table) { this.table = table; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
  public List<String> getThenBy() { return thenBy; }
  public void setThenBy(List<String> thenBy) { this.thenBy = thenBy; }
  public KeyCollation getCollation() { return collation; }
  public void setCollation(KeyCollation collation) { this.collation = collation; }

  /** {@code key} then {@code thenBy}. */
  public List<String> keyColumns() {
    return KeyColumns.of(key, thenBy);
  }
}
