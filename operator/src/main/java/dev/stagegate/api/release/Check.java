package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.templates.CheckTemplateRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** One piece of evidence a stage needs: a Prometheus query held against bounds, the stable revision, or a sequential test. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.templateRef) || (has(self.prometheus) ? 1 : 0) + (has(self.sequential) ? 1 : 0)"
    + " + (has(self.sequentialLatency) ? 1 : 0) == 1",
    message = "a check needs exactly one of prometheus, sequential or sequentialLatency, or a templateRef")
@ValidationRule(value = "!has(self.templateRef) || !(has(self.prometheus) || has(self.sequential)"
    + " || has(self.sequentialLatency) || has(self.min) || has(self.max) || has(self.compare))",
    message = "a check with a templateRef takes its queries and bounds from the template")
@ValidationRule(value = "has(self.templateRef) || !has(self.args)", message = "args need a templateRef")
@ValidationRule(value = "!has(self.prometheus) || has(self.min) || has(self.max) || has(self.compare)",
    message = "a prometheus check needs min, max or compare")
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max", message = "min must not exceed max")
public class Check {
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Check name, a DNS label. A check with a templateRef defaults to the template's name.")
  private String name;

  @JsonPropertyDescription("Take the check's body from a CheckTemplate or ClusterCheckTemplate: queries, bounds,"
      + " interval and failureLimit all come from the template (defaults shown on this entry are not used). The"
      + " template is resolved when a canary starts and kept for that canary.")
  private CheckTemplateRef templateRef;

  @Size(max = 20)
  @JsonPropertyDescription("Values for the template's arguments, by argument name.")
  private Map<String, String> args;

  @Default("30s")
  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.INTERVAL_RULE, message = DurationLimits.INTERVAL_MESSAGE)
  @JsonPropertyDescription("Time between evaluations, e.g. 30s.")
  private String interval;

  @Default("1")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Consecutive failed evaluations that fail the stage. NoData and Error never count.")
  private Integer failureLimit;

  private PrometheusQuery prometheus;

  @JsonPropertyDescription("The value must be at least this.")
  private Double min;

  @JsonPropertyDescription("The value must be at most this.")
  private Double max;

  @JsonPropertyDescription("Compare the canary's value with the stable revision's over the same window.")
  private BaselineCompare compare;

  @JsonPropertyDescription("Anytime-valid sequential test of the canary's error rate against the stable revision's.")
  private SequentialCheck sequential;

  @JsonPropertyDescription("Anytime-valid sequential test of the canary's share of requests slower than chosen histogram"
      + " buckets against the stable revision's.")
  private SequentialLatencyCheck sequentialLatency;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public CheckTemplateRef getTemplateRef() { return templateRef; }
  public void setTemplateRef(CheckTemplateRef templateRef) { this.templateRef = templateRef; }
  public Map<String, String> getArgs() { return args; }
  public void setArgs(Map<String, String> args) { this.args = args; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public Integer getFailureLimit() { return failureLimit; }
  public void setFailureLimit(Integer failureLimit) { this.failureLimit = failureLimit; }
  public PrometheusQuery getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusQuery prometheus) { this.prometheus = prometheus; }
  public Double getMin() { return min; }
  public void setMin(Double min) { this.min = min; }
  public Double getMax() { return max; }
  public void setMax(Double max) { this.max = max; }
  public BaselineCompare getCompare() { return compare; }
  public void setCompare(BaselineCompare compare) { this.compare = compare; }
  public SequentialCheck getSequential() { return sequential; }
  public void setSequential(SequentialCheck sequential) { this.sequential = sequential; }
  public SequentialLatencyCheck getSequentialLatency() { return sequentialLatency; }
  public void setSequentialLatency(SequentialLatencyCheck sequentialLatency) { this.sequentialLatency = sequentialLatency; }

  /** A check that names a template but has not been given the template's body yet. */
  public boolean unresolvedTemplate() {
    return templateRef != null && prometheus == null && sequential == null && sequentialLatency == null;
  }

  public int failureLimitOrDefault() { return failureLimit == null ? 1 : failureLimit; }
}
