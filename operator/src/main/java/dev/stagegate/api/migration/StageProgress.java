package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One stage: its key range, fixed once from the source's row quantiles, and how far it got. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageProgress {
  private String name;
  private Integer percent;
  /** First key of the stage (inclusive). */
  private Long keyFrom;
  /** Key after the stage (exclusive). */
  private Long keyTo;
  /** First key of a stage over a text, UUID, date or composite key (inclusive); a composite key as a JSON array. */
  private String fromKey;
  /** Key after such a stage (exclusive); absent for the last stage, which runs to the end. */
  private String toKey;
  /** A parallel stage's sub-range starts after its first (row quantiles, fixed with the boundaries), as key text. */
  private java.util.List<String> parts;
  /** Source rows in [keyFrom, keyTo) when the boundaries were fixed. */
  private Long rows;
  private StageState state;
  private JobRun job;
  private JobRun undo;
  private String startedAt;
  private String loadedAt;
  private String verifiedAt;
  private String undoneAt;
  /** A Manual stage's `approve` was given. */
  private Boolean approved;
  /** `retry-stage` asked for this stage to be undone and loaded again. */
  private Boolean retrying;
  /** Undo Jobs created for this stage so far; names the next one. */
  private Integer undoRuns;
  private String message;

  public StageProgress() {}

  public StageProgress(String name, int percent, long keyFrom, long keyTo, long rows) {
    this.name = name;
    this.percent = percent;
    this.keyFrom = keyFrom;
    this.keyTo = keyTo;
    this.rows = rows;
    this.state = StageState.Pending;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getPercent() { return percent; }
  public void setPercent(Integer percent) { this.percent = percent; }
  public Long getKeyFrom() { return keyFrom; }
  public void setKeyFrom(Long keyFrom) { this.keyFrom = keyFrom; }
  public Long getKeyTo() { return keyTo; }
  public void setKeyTo(Long keyTo) { this.keyTo = keyTo; }
  public String getFromKey() { return fromKey; }
  public void setFromKey(String fromKey) { this.fromKey = fromKey; }
  public String getToKey() { return toKey; }
  public void setToKey(String toKey) { this.toKey = toKey; }
  public java.util.List<String> getParts() { return parts; }
  public void setParts(java.util.List<String> parts) { this.parts = parts; }
  public Long getRows() { return rows; }
  public void setRows(Long rows) { this.rows = rows; }
  public StageState getState() { return state; }
  public void setState(StageState state) { this.state = state; }
  public JobRun getJob() { return job; }
  public void setJob(JobRun job) { this.job = job; }
  public JobRun getUndo() { return undo; }
  public void setUndo(JobRun undo) { this.undo = undo; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getLoadedAt() { return loadedAt; }
  public void setLoadedAt(String loadedAt) { this.loadedAt = loadedAt; }
  public String getVerifiedAt() { return verifiedAt; }
  public void setVerifiedAt(String verifiedAt) { this.verifiedAt = verifiedAt; }
  public String getUndoneAt() { return undoneAt; }
  public void setUndoneAt(String undoneAt) { this.undoneAt = undoneAt; }
  public Boolean getApproved() { return approved; }
  public void setApproved(Boolean approved) { this.approved = approved; }
  public Boolean getRetrying() { return retrying; }
  public void setRetrying(Boolean retrying) { this.retrying = retrying; }
  public Integer getUndoRuns() { return undoRuns; }
  public void setUndoRuns(Integer undoRuns) { this.undoRuns = undoRuns; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }

  public boolean isApproved() { return Boolean.TRUE.equals(approved); }
  public boolean isRetrying() { return Boolean.TRUE.equals(retrying); }
  public int undoRunCount() { return undoRuns == null ? 0 : undoRuns; }
}
