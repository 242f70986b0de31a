package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import dev.stagegate.api.common.StatusBase;
import dev.stagegate.api.common.LinkStatus;
import dev.stagegate.api.templates.RecordedVerifyCheck;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator needs to continue a migration after a restart lives here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataMigrationStatus extends StatusBase {
  private MigrationPhase phase;
  /** What failed: GuardFailed, WorkerFailed, VerifyFailed, BackupFailed, UndoFailed, Aborted, InvalidSpec... */
  private String failureReason;
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
  /** Template verify checks as resolved for the current stage: a template edited meanwhile applies to the next stage. */
  private List<RecordedVerifyCheck> templateChecks;
  /** The Releases linked to this run: opened gates, acted-on failures. */
  private List<LinkStatus> links = new ArrayList<>();

  public MigrationPhase getPhase() { return phase; }
  public void setPhase(MigrationPhase phase) { this.phase = phase; }
  public String getFailureReason() { return failureReason; }
  public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
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

  public List<LinkStatus> getLinks() { return links; }
  public void setLinks(List<LinkStatus> links) { this.links = links; }

  public List<RecordedVerifyCheck> getTemplateChecks() { return templateChecks; }
  public void setTemplateChecks(List<RecordedVerifyCheck> templateChecks) { this.templateChecks = templateChecks; }

  public int preflightRunCount() { return preflightRuns == null ? 0 : preflightRuns; }
}
