package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusQuery {
  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL returning one series. {{revision}}, {{stableRevision}}, {{name}}, {{namespace}} are substituted.")
  private String query;

  @Default("10s")
  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.QUERY_TIMEOUT_RULE, message = DurationLimits.QUERY_TIMEOUT_MESSAGE)
  private String timeout;

  public PrometheusQuery() {}

  public PrometheusQuery(String query) { this.query = query; }

  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
