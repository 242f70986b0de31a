package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Cumulative error and request counters of a revision, tested sequentially against the stable revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialCheck {
  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL for the cumulative error count of {{revision}}.")
  private String errors;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL for the cumulative request count of {{revision}}.")
  private String requests;

  @Default("0.2")
  @Min(0)
  @JsonPropertyDescription("H0: canary error rate <= (1 + maxRelativeIncrease) x stable's.")
  private Double maxRelativeIncrease;

  @Default("0.01")
  @Min(0.0001)
  @Max(0.5)
  @JsonPropertyDescription("Bound on the probability of rolling back a release that satisfies H0, however often it is checked.")
  private Double falseRollbackRate;

  public String getErrors() { return errors; }
  public void setErrors(String errors) { this.errors = errors; }
  public String getRequests() { return requests; }
  public void setRequests(String requests) { this.requests = requests; }
  public Double getMaxRelativeIncrease() { return maxRelativeIncrease; }
  public void setMaxRelativeIncrease(Double maxRelativeIncrease) { this.maxRelativeIncrease = maxRelativeIncrease; }
  public Double getFalseRollbackRate() { return falseRollbackRate; }
  public void setFalseRollbackRate(Double falseRollbackRate) { this.falseRollbackRate = falseRollbackRate; }
}
