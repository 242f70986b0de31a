package dev.stagegate.api.migration;

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

/** Evidence a stage needs once its Job has loaded: a data comparison, a Prometheus bound, or a check template's bound. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.templateRef) || has(self.compare) != has(self.prometheus)",
    message = "a verify check needs exactly one of compare or prometheus, or a templateRef")
@ValidationRule(value = "!has(self.templateRef) || !(has(self.compare) || has(self.prometheus))",
    message = "a verify check with a templateRef takes its query and bounds from the template")
@ValidationRule(value = "has(self.templateRef) || !has(self.args)", message = "args need a templateRef")
@ValidationRule(value = "has(self.templateRef) || has(self.name)", message = "a verify check needs a name")
public class VerifyCheck {
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @Size(max = 63)
  @JsonPropertyDescription("Check name, a DNS label. A check with a templateRef defaults to the template's name.")
  private String name;

  @JsonPropertyDescription("Take the check's query, bounds, interval and failureLimit from a CheckTemplate or"
      + " ClusterCheckTemplate whose check is a prometheus check with min or max. Resolved when a stage starts and"
      + " kept for that stage; an edited template applies from the next stage.")
  private CheckTemplateRef templateRef;

  @Size(max = 20)
  @JsonPropertyDescription("Values for the template's arguments, by argument name.")
  private Map<String, String> args;

  @Default("10s")
  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.INTERVAL_RULE, message = DurationLimits.INTERVAL_MESSAGE)
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

  public CheckTemplateRef getTemplateRef() { return templateRef; }
  public void setTemplateRef(CheckTemplateRef templateRef) { this.templateRef = templateRef; }
  public Map<String, String> getArgs() { return args; }
  public void setArgs(Map<String, String> args) { this.args = args; }

  /** A check that names a template whose body it has not been given (the template is missing). */
  public boolean unresolvedTemplate() { return templateRef != null && compare == null && prometheus == null; }

  public int failureLimitOrDefault() { return failureLimit == null ? 1 : failureLimit; }
}
