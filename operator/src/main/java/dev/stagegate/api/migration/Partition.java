package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The source table and integer key whose row quantiles split the records into stages. */
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
  @JsonPropertyDescription("Integer column ordering the records; stage k loads keys [keyFrom, keyTo).")
  private String key;

  public Partition() {}

  public Partition(String table, String key) {
    this.table = table;
    this.key = key;
  }

  public String getTable() { return table; }
  public void setTable(String table) { this.table = table; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
}
