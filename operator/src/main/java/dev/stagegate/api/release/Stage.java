package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.common.Approval;
import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Stage {
  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Stage name, a DNS label (e.g. canary-10).")
  private String name;

  @Required
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Share of traffic, in percent, the new revision gets during this stage: of ready pods, or of the route's weights with trafficRouting."
      + " 0 only with trafficRouting and match.headers or match.cookies: a header-only stage (one canary pod, no public traffic).")
  private Integer weight;

  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.STAGE_DURATION_RULE, message = DurationLimits.STAGE_DURATION_MESSAGE)
  @JsonPropertyDescription("Minimum time at this weight before the stage may complete, e.g. 5m.")
  private String duration;

  @Default("Auto")
  @JsonPropertyDescription("Manual: the stage waits for the `stagegate.dev/action: promote` annotation.")
  private Approval approval;

  @JsonPropertyDescription("Requests this stage sends to the canary whatever its weight, e.g. headers x-canary: true"
      + " (needs spec.trafficRouting).")
  private StageMatch match;

  public Stage() {}

  public Stage(String name, int weight, String duration, Approval approval) {
    this.name = name;
    this.weight = weight;
    this.duration = duration;
    this.approval = approval;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getWeight() { return weight; }
  public void setWeight(Integer weight) { this.weight = weight; }
  public String getDuration() { return duration; }
  public void setDuration(String duration) { this.duration = duration; }
  public Approval getApproval() { return approval; }
  public void setApproval(Approval approval) { this.approval = approval; }

  public StageMatch getMatch() { return match; }
  public void setMatch(StageMatch match) { this.match = match; }

  public boolean needsApproval() { return approval == Approval.Manual; }
}
