package dev.stagegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator needs to continue a rollout after a restart lives here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseStatus {
  private ReleasePhase phase;
  private String pauseReason;
  private String message;
  private Long observedGeneration;
  private String stableRevision;
  private String canaryRevision;
  private String failedRevision;
  private StageStatus currentStage;
  private Integer requestedWeight;
  private Integer actualWeight;
  private List<CheckStatus> checks = new ArrayList<>();
  private List<Condition> conditions = new ArrayList<>();
  private String lastAction;
  /**
   * The `stagegate.dev/action` value applied last, until its annotation is seen removed: should the removal not
   * go through, the annotation is removed again but never applied twice.
   */
  private String actionAwaitingRemoval;

  public ReleasePhase getPhase() { return phase; }
  public void setPhase(ReleasePhase phase) { this.phase = phase; }
  public String getPauseReason() { return pauseReason; }
  public void setPauseReason(String pauseReason) { this.pauseReason = pauseReason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getStableRevision() { return stableRevision; }
  public void setStableRevision(String stableRevision) { this.stableRevision = stableRevision; }
  public String getCanaryRevision() { return canaryRevision; }
  public void setCanaryRevision(String canaryRevision) { this.canaryRevision = canaryRevision; }
  public String getFailedRevision() { return failedRevision; }
  public void setFailedRevision(String failedRevision) { this.failedRevision = failedRevision; }
  public StageStatus getCurrentStage() { return currentStage; }
  public void setCurrentStage(StageStatus currentStage) { this.currentStage = currentStage; }
  public Integer getRequestedWeight() { return requestedWeight; }
  public void setRequestedWeight(Integer requestedWeight) { this.requestedWeight = requestedWeight; }
  public Integer getActualWeight() { return actualWeight; }
  public void setActualWeight(Integer actualWeight) { this.actualWeight = actualWeight; }
  public List<CheckStatus> getChecks() { return checks; }
  public void setChecks(List<CheckStatus> checks) { this.checks = checks; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  /** The last `stagegate.dev/action` applied, with when (for people reading status). */
  public String getLastAction() { return lastAction; }
  public void setLastAction(String lastAction) { this.lastAction = lastAction; }
  public String getActionAwaitingRemoval() { return actionAwaitingRemoval; }
  public void setActionAwaitingRemoval(String actionAwaitingRemoval) { this.actionAwaitingRemoval = actionAwaitingRemoval; }
}
