package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.common.LinkPolicy;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A migration stage that loads only once a Release in the same namespace got far enough. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationGate {
  @Required
  @Min(0)
  @Max(19)
  @JsonPropertyDescription("The migration stage index (0-based) whose load Job waits.")
  private Integer stage;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The Release (same namespace) to wait for; it may not exist yet.")
  private String release;

  @Required
  @ValidationRule(value = "has(self.stage) != has(self.phase)", message = "set exactly one of until.stage and until.phase")
  @ValidationRule(value = "!has(self.phase) || self.phase == 'Promoted'", message = "until.phase of a Release must be Promoted")
  @JsonPropertyDescription("What the stage waits for: {stage: N} (the Release's stage N completed) or {phase: Promoted}.")
  private GateUntil until;

  @Default("RollBackBoth")
  @JsonPropertyDescription("RollBackBoth: the Release rolling back aborts this migration (stages undone newest first),"
      + " and this migration failing rolls the Release back. Independent: neither affects the other.")
  private LinkPolicy onFailure;

  public MigrationGate() {}

  public MigrationGate(int stage, String release, GateUntil until) {
    this.stage = stage;
    this.release = release;
    this.until = until;
  }

  public Integer getStage() { return stage; }
  public void setStage(Integer stage) { this.stage = stage; }
  public String getRelease() { return release; }
  public void setRelease(String release) { this.release = release; }
  public GateUntil getUntil() { return until; }
  public void setUntil(GateUntil until) { this.until = until; }
  public LinkPolicy getOnFailure() { return onFailure; }
  public void setOnFailure(LinkPolicy onFailure) { this.onFailure = onFailure; }

  public LinkPolicy policy() { return onFailure == null ? LinkPolicy.RollBackBoth : onFailure; }
}
