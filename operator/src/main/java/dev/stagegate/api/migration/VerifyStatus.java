package dev.stagegate.api.migration;

import dev.stagegate.api.common.CheckResult;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** One verify check's latest evaluation in the current stage (or of the rollback). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerifyStatus {
  private String name;
  /** The stage whose keys were checked, or "rollback". */
  private String stage;
  private Long keyFrom;
  private Long keyTo;
  /** The checked keys of a text, UUID, date or composite key (keyFrom/keyTo hold integer keys only). */
  private String fromKey;
  private String toKey;
  private CheckResult result;
  private Integer consecutiveFailures = 0;
  /** Evaluations in this stage; names the next evaluation so that a restart neither loses nor repeats one. */
  private Integer evaluations = 0;
  private Boolean passed = false;
  private Long sourceRows;
  private Long targetRows;
  private Long missing;
  private Long extra;
  private Long changed;
  private List<Long> missingSamples = new ArrayList<>();
  private List<Long> extraSamples = new ArrayList<>();
  private List<Long> changedSamples = new ArrayList<>();
  /** Sample keys of a text, UUID, date or composite key (the *Samples lists hold integer keys only). */
  private List<String> missingKeys;
  private List<String> extraKeys;
  private List<String> changedKeys;
  /** A Prometheus check's value, as text so that NaN can be shown. */
  private String value;
  /** Wall time of the evaluation, e.g. 1.52s. */
  private String duration;
  private String evaluatedAt;
  private String message;

  public VerifyStatus() {}

  public VerifyStatus(String name, String stage, Long keyFrom, Long keyTo) {
    this.name = name;
    this.stage = stage;
    this.keyFrom = keyFrom;
    this.keyTo = keyTo;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getStage() { return stage; }
  public void setStage(String stage) { this.stage = stage; }
  public Long getKeyFrom() { return keyFrom; }
  public void setKeyFrom(Long keyFrom) { this.keyFrom = keyFrom; }
  public Long getKeyTo() { return keyTo; }
  public void setKeyTo(Long keyTo) { this.keyTo = keyTo; }
  public String getFromKey() { return fromKey; }
  public void setFromKey(String fromKey) { this.fromKey = fromKey; }
  public String getToKey() { return toKey; }
  public void setToKey(String toKey) { this.toKey = toKey; }
  public List<String> getMissingKeys() { return missingKeys; }
  public void setMissingKeys(List<String> missingKeys) { this.missingKeys = missingKeys; }
  public List<String> getExtraKeys() { return extraKeys; }
  public void setExtraKeys(List<String> extraKeys) { this.extraKeys = extraKeys; }
  public List<String> getChangedKeys() { return changedKeys; }
  public void setChangedKeys(List<String> changedKeys) { this.changedKeys = changedKeys; }
  public CheckResult getResult() { return result; }
  public void setResult(CheckResult result) { this.result = result; }
  public Integer getConsecutiveFailures() { return consecutiveFailures; }
  public void setConsecutiveFailures(Integer consecutiveFailures) { this.consecutiveFailures = consecutiveFailures; }
  public Integer getEvaluations() { return evaluations; }
  public void setEvaluations(Integer evaluations) { this.evaluations = evaluations; }
  public Boolean getPassed() { return passed; }
  public void setPassed(Boolean passed) { this.passed = passed; }
  public Long getSourceRows() { return sourceRows; }
  public void setSourceRows(Long sourceRows) { this.sourceRows = sourceRows; }
  public Long getTargetRows() { return targetRows; }
  public void setTargetRows(Long targetRows) { this.targetRows = targetRows; }
  public Long getMissing() { return missing; }
  public void setMissing(Long missing) { this.missing = missing; }
  public Long getExtra() { return extra; }
  public void setExtra(Long extra) { this.extra = extra; }
  public Long getChanged() { return changed; }
  public void setChanged(Long changed) { this.changed = changed; }
  public List<Long> getMissingSamples() { return missingSamples; }
  public void setMissingSamples(List<Long> missingSamples) { this.missingSamples = missingSamples; }
  public List<Long> getExtraSamples() { return extraSamples; }
  public void setExtraSamples(List<Long> extraSamples) { this.extraSamples = extraSamples; }
  public List<Long> getChangedSamples() { return changedSamples; }
  public void setChangedSamples(List<Long> changedSamples) { this.changedSamples = changedSamples; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public String getDuration() { return duration; }
  public void setDuration(String duration) { this.duration = duration; }
  public String getEvaluatedAt() { return evaluatedAt; }
  public void setEvaluatedAt(String evaluatedAt) { this.evaluatedAt = evaluatedAt; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }

  public int failures() { return consecutiveFailures == null ? 0 : consecutiveFailures; }
  public int evaluationCount() { return evaluations == null ? 0 : evaluations; }
  public boolean hasPassed() { return Boolean.TRUE.equals(passed); }
}
