package dev.stagegate.api.migration;

import dev.stagegate.api.common.Durations;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One read-only query whose first column of the first row must meet an expectation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.equals) || has(self.min) || has(self.max)",
    message = "a guard needs equals, min or max")
@ValidationRule(value = "!has(self.equals) || (!has(self.min) && !has(self.max))",
    message = "a guard has either equals or min/max")
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max", message = "min must not exceed max")
public class SqlGuard {
  @Required
  @JsonPropertyDescription("The database to query: source or target.")
  private DatabaseSide on;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("SQL returning one value; runs in a read-only transaction with a statement timeout.")
  private String query;

  @JsonPropertyDescription("The value, as text, must equal this.")
  private String equals;

  @JsonPropertyDescription("The value must be a number of at least this.")
  private Double min;

  @JsonPropertyDescription("The value must be a number of at most this.")
  private Double max;

  @Default("10s")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Statement timeout, e.g. 10s.")
  private String timeout;

  public SqlGuard() {}

  public SqlGuard(DatabaseSide on, String query) {
    this.on = on;
    this.query = query;
  }

  public DatabaseSide getOn() { return on; }
  public void setOn(DatabaseSide on) { this.on = on; }
  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public String getEquals() { return equals; }
  public void setEquals(String equals) { this.equals = equals; }
  public Double getMin() { return min; }
  public void setMin(Double min) { this.min = min; }
  public Double getMax() { return max; }
  public void setMax(Double max) { this.max = max; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
