package dev.stagegate.api.migration;

import dev.stagegate.api.common.Durations;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Evidence a stage needs once its Job has loaded: a data comparison or a Prometheus bound. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.compare) != has(self.prometheus)",
    message = "a verify check needs exactly one of compare or prometheus")
public class VerifyCheck {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @Size(max = 63)
  private String name;

  @Default("10s")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Time between evaluations of a check that has not passed yet in the stage.")
  private String interval;

  @Default("1")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Consecutive failed evaluations that fail the stage. NoData, Error and an unreachable"
      + " database never count: they pause the migration until the evidence is back.")
  private Integer failureLimit;

  private CompareCheck compare;

  private PrometheusBound prometheus;

  public VerifyCheck() {}

  public VerifyCheck(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public Integer getFailureLimit() { return failureLimit; }
  public void setFailureLimit(Integer failureLimit) { this.failureLimit = failureLimit; }
  public CompareCheck getCompare() { return compare; }
  public void setCompare(CompareCheck compare) { this.compare = compare; }
  public PrometheusBound getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusBound prometheus) { this.prometheus = prometheus; }

  public int failureLimitOrDefault() { return failureLimit == null ? 1 : failureLimit; }
}
