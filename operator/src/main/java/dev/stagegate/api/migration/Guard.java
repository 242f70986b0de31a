package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A precondition checked once before anything is written; a failing guard fails the migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Guard {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @Size(max = 63)
  private String name;

  @Required
  private SqlGuard sql;

  public Guard() {}

  public Guard(String name, SqlGuard sql) {
    this.name = name;
    this.sql = sql;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public SqlGuard getSql() { return sql; }
  public void setSql(SqlGuard sql) { this.sql = sql; }
}
