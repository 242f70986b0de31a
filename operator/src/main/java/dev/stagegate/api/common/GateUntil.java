package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** What a gate waits for on the other resource: one of its stages done, or its final phase. Exactly one is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateUntil {
  @Min(0)
  @Max(19)
  @JsonPropertyDescription("The other resource's stage index (0-based) that must be done: a DataMigration stage"
      + " verified, a Release stage completed.")
  private Integer stage;

  @JsonPropertyDescription("The other resource's phase to wait for: Succeeded for a DataMigration, Promoted for a Release.")
  private String phase;

  public GateUntil() {}

  public GateUntil(Integer stage, String phase) {
    this.stage = stage;
    this.phase = phase;
  }

  public Integer getStage() { return stage; }
  public void setStage(Integer stage) { this.stage = stage; }
  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }

  /** For messages: "stage 2 done" or "phase Succeeded". */
  public String describe() {
    return stage != null ? "stage " + stage + " done" : "phase " + phase;
  }
}
