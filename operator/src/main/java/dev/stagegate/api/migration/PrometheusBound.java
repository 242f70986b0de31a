package dev.stagegate.api.migration;

import dev.stagegate.api.common.Durations;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A PromQL query returning one series, held against bounds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.min) || has(self.max)", message = "a prometheus check needs min or max")
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max", message = "min must not exceed max")
public class PrometheusBound {
  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL; {{name}}, {{namespace}} and {{stage}} are substituted.")
  private String query;

  @JsonPropertyDescription("The value must be at least this.")
  private Double min;

  @JsonPropertyDescription("The value must be at most this.")
  private Double max;

  @Default("10s")
  @Pattern(Durations.PATTERN)
  private String timeout;

  public PrometheusBound() {}

  public PrometheusBound(String query, Double min, Double max) {
    this.query = query;
    this.min = min;
    this.max = max;
  }

  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public Double getMin() { return min; }
  public void setMin(Double min) { this.min = min; }
  public Double getMax() { return max; }
  public void setMax(Double max) { this.max = max; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
