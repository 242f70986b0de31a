package dev.stagegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator needs to continue a migration after a restart lives here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataMigrationStatus {
  private MigrationPhase phase;
  /** Why a Paused migration waits: AwaitingApproval, NoEvidence, DatabaseUnreachable, SecretNotFound, SpecChanged, or the failure's reason. */
  private String pauseReason;
  /** What failed: GuardFailed, WorkerFailed, VerifyFailed, BackupFailed, UndoFailed, Aborted, InvalidSpec... */
  private String failureReason;
  private String message;
  private Long observedGeneration;
  /** Identifies this run of the migration to its Jobs (STAGEGATE_RUN_ID): stable across restarts and retries. */
  private String runId;
  /** The partition the boundaries were computed for, as table.key. */
  private String partition;
  private String currentStage;
  /** Source rows over the partition key when the boundaries were fixed. */
  private Long rowsTotal;
  /** Source rows in the stages loaded so far. */
  private Long rowsMigrated;
  /** Schema checks and guards run so far; names the next run. */
  private Integer preflightRuns;
  private String lastPreflightAt;
  private List<GuardStatus> guards = new ArrayList<>();
  private JobRun backup;
  private List<StageProgress> stages = new ArrayList<>();
  private List<VerifyStatus> verify = new ArrayList<>();
  private RollbackStatus rollback;
  private List<Condition> conditions = new ArrayList<>();
  /** The last `stagegate.dev/action` applied, with when. */
  private String lastAction;
  /**
   * The `stagegate.dev/action` value applied last, until its annotation is seen removed: should the removal not
   * go through, the annotation is removed again but never applied twice.
   */
  private String actionAwaitingRemoval;

  public MigrationPhase getPhase() { return phase; }
  public void setPhase(MigrationPhase phase) { this.phase = phase; }
  public String getPauseReason() { return pauseReason; }
  public void setPauseReason(String pauseReason) { this.pauseReason = pauseReason; }
  public String getFailureReason() { return failureReason; }
  public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getRunId() { return runId; }
  public void setRunId(String runId) { this.runId = runId; }
  public String getPartition() { return partition; }
  public void setPartition(String partition) { this.partition = partition; }
  public String getCurrentStage() { return currentStage; }
  public void setCurrentStage(String currentStage) { this.currentStage = currentStage; }
  public Long getRowsTotal() { return rowsTotal; }
  public void setRowsTotal(Long rowsTotal) { this.rowsTotal = rowsTotal; }
  public Long getRowsMigrated() { return rowsMigrated; }
  public void setRowsMigrated(Long rowsMigrated) { this.rowsMigrated = rowsMigrated; }
  public Integer getPreflightRuns() { return preflightRuns; }
  public void setPreflightRuns(Integer preflightRuns) { this.preflightRuns = preflightRuns; }
  public String getLastPreflightAt() { return lastPreflightAt; }
  public void setLastPreflightAt(String lastPreflightAt) { this.lastPreflightAt = lastPreflightAt; }
  public List<GuardStatus> getGuards() { return guards; }
  public void setGuards(List<GuardStatus> guards) { this.guards = guards; }
  public JobRun getBackup() { return backup; }
  public void setBackup(JobRun backup) { this.backup = backup; }
  public List<StageProgress> getStages() { return stages; }
  public void setStages(List<StageProgress> stages) { this.stages = stages; }
  public List<VerifyStatus> getVerify() { return verify; }
  public void setVerify(List<VerifyStatus> verify) { this.verify = verify; }
  public RollbackStatus getRollback() { return rollback; }
  public void setRollback(RollbackStatus rollback) { this.rollback = rollback; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getLastAction() { return lastAction; }
  public void setLastAction(String lastAction) { this.lastAction = lastAction; }
  public String getActionAwaitingRemoval() { return actionAwaitingRemoval; }
  public void setActionAwaitingRemoval(String actionAwaitingRemoval) { this.actionAwaitingRemoval = actionAwaitingRemoval; }

  public int preflightRunCount() { return preflightRuns == null ? 0 : preflightRuns; }
}
