package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The canary's value against the stable revision's, so an incident hitting both cancels out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.maxIncrease) || has(self.maxDelta)", message = "compare needs maxIncrease or maxDelta")
public class BaselineCompare {
  @Default("stable")
  @JsonPropertyDescription("The revision to compare against; only `stable` for now.")
  private String baseline;

  @Min(0)
  @JsonPropertyDescription("Relative: canary <= stable * (1 + maxIncrease). 0.5 = at most 50% worse.")
  private Double maxIncrease;

  @Min(0)
  @JsonPropertyDescription("Absolute: canary <= stable + maxDelta.")
  private Double maxDelta;

  public String getBaseline() { return baseline; }
  public void setBaseline(String baseline) { this.baseline = baseline; }
  public Double getMaxIncrease() { return maxIncrease; }
  public void setMaxIncrease(Double maxIncrease) { this.maxIncrease = maxIncrease; }
  public Double getMaxDelta() { return maxDelta; }
  public void setMaxDelta(Double maxDelta) { this.maxDelta = maxDelta; }
}
