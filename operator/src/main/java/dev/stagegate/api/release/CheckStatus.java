package dev.stagegate.api.release;

import dev.stagegate.api.common.CheckResult;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One check's state in the current stage: enough to continue after a restart without double counting. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckStatus {
  private String name;
  /** The canary's last value, as text so that NaN and +Inf can be shown. */
  private String lastValue;
  /** The stable revision's value (baseline compare), or the test statistic (sequential). */
  private String baselineValue;
  private CheckResult lastResult;
  private Integer consecutiveFailures = 0;
  /** Evaluations in the current stage. */
  private Integer evaluations = 0;
  private Boolean passedInStage = false;
  private String lastEvaluationTime;
  /** Last Pass or Fail: NoData and Error past the progress deadline stall the release. */
  private String lastConclusiveTime;
  private String message;
  /** A sequential test found evidence the canary is no worse: the stage may end before its duration. */
  private Boolean noWorse;
  /** State of a sequential test, carried between evaluations. */
  private SequentialEvidence sequential;

  public CheckStatus() {}

  public CheckStatus(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getLastValue() { return lastValue; }
  public void setLastValue(String lastValue) { this.lastValue = lastValue; }
  public String getBaselineValue() { return baselineValue; }
  public void setBaselineValue(String baselineValue) { this.baselineValue = baselineValue; }
  public CheckResult getLastResult() { return lastResult; }
  public void setLastResult(CheckResult lastResult) { this.lastResult = lastResult; }
  public Integer getConsecutiveFailures() { return consecutiveFailures; }
  public void setConsecutiveFailures(Integer consecutiveFailures) { this.consecutiveFailures = consecutiveFailures; }
  public Integer getEvaluations() { return evaluations; }
  public void setEvaluations(Integer evaluations) { this.evaluations = evaluations; }
  public Boolean getPassedInStage() { return passedInStage; }
  public void setPassedInStage(Boolean passedInStage) { this.passedInStage = passedInStage; }
  public String getLastEvaluationTime() { return lastEvaluationTime; }
  public void setLastEvaluationTime(String lastEvaluationTime) { this.lastEvaluationTime = lastEvaluationTime; }
  public String getLastConclusiveTime() { return lastConclusiveTime; }
  public void setLastConclusiveTime(String lastConclusiveTime) { this.lastConclusiveTime = lastConclusiveTime; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public Boolean getNoWorse() { return noWorse; }
  public void setNoWorse(Boolean noWorse) { this.noWorse = noWorse; }
  public SequentialEvidence getSequential() { return sequential; }
  public void setSequential(SequentialEvidence sequential) { this.sequential = sequential; }

  public int failures() { return consecutiveFailures == null ? 0 : consecutiveFailures; }
  public boolean passed() { return Boolean.TRUE.equals(passedInStage); }
}
