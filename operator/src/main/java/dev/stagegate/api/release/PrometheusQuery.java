package dev.stagegate.api.release;

import dev.stagegate.api.common.Durations;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusQuery {
  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL returning one series. {{revision}}, {{stableRevision}}, {{name}}, {{namespace}} are substituted.")
  private String query;

  @Default("10s")
  @Pattern(Durations.PATTERN)
  private String timeout;

  public PrometheusQuery() {}

  public PrometheusQuery(String query) { this.query = query; }

  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
