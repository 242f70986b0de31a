package dev.stagegate.api.release;

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

/** A Release stage that starts only once a DataMigration in the same namespace got far enough. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseGate {
  @Required
  @Min(0)
  @Max(19)
  @JsonPropertyDescription("The Release stage index (0-based) that waits: stage 0 holds the canary at no pods.")
  private Integer stage;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The DataMigration (same namespace) to wait for; it may not exist yet.")
  private String dataMigration;

  @Required
  @ValidationRule(value = "has(self.stage) != has(self.phase)", message = "set exactly one of until.stage and until.phase")
  @ValidationRule(value = "!has(self.phase) || self.phase == 'Succeeded'", message = "until.phase of a DataMigration must be Succeeded")
  @JsonPropertyDescription("What the stage waits for: {stage: N} (the migration's stage N verified) or {phase: Succeeded}.")
  private GateUntil until;

  @Default("RollBackBoth")
  @JsonPropertyDescription("RollBackBoth: the migration failing rolls this Release back, and this Release rolling back"
      + " aborts the migration (its stages undone newest first). Independent: neither affects the other.")
  private LinkPolicy onFailure;

  public ReleaseGate() {}

  public ReleaseGate(int stage, String dataMigration, GateUntil until) {
    this.stage = stage;
    this.dataMigration = dataMigration;
    this.until = until;
  }

  public Integer getStage() { return stage; }
  public void setStage(Integer stage) { this.stage = stage; }
  public String getDataMigration() { return dataMigration; }
  public void setDataMigration(String dataMigration) { this.dataMigration = dataMigration; }
  public GateUntil getUntil() { return until; }
  public void setUntil(GateUntil until) { this.until = until; }
  public LinkPolicy getOnFailure() { return onFailure; }
  public void setOnFailure(LinkPolicy onFailure) { this.onFailure = onFailure; }

  public LinkPolicy policy() { return onFailure == null ? LinkPolicy.RollBackBoth : onFailure; }
}
