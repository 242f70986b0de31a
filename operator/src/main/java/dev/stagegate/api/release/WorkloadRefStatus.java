package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator did to the Deployment named in spec.workloadRef, so it can always put it back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRefStatus {
  /** Referenced Deployment's phases: ScalingDown, ScaledDown, Restoring, Restored, Missing. */
  public enum Phase { ScalingDown, ScaledDown, Restoring, Restored, Missing }

  @JsonPropertyDescription("The referenced Deployment's name.")
  private String name;
  @JsonPropertyDescription("Its replicas before the Release took over (or as a later GitOps/Helm change set them): what"
      + " removing workloadRef or deleting the Release restores.")
  private Integer originalReplicas;
  @JsonPropertyDescription("Replicas the operator holds it at: originalReplicas minus the Release's ready pods (0 once they cover it).")
  private Integer scaledDownTo;
  @JsonPropertyDescription("ScalingDown, ScaledDown, Restoring, Restored or Missing.")
  private Phase phase;
  private String message;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getOriginalReplicas() { return originalReplicas; }
  public void setOriginalReplicas(Integer originalReplicas) { this.originalReplicas = originalReplicas; }
  public Integer getScaledDownTo() { return scaledDownTo; }
  public void setScaledDownTo(Integer scaledDownTo) { this.scaledDownTo = scaledDownTo; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
