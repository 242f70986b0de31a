package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TableRef {
  @Required
  @Pattern(Partition.TABLE_PATTERN)
  private String table;

  public TableRef() {}

  public TableRef(String table) { this.table = table; }

  public String getTable() { return table; }
  public void setTable(String table) { this.table = table; }
}
