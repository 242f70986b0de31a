package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageStatus {
  private Integer index;
  private String name;
  /** When the stage began (RFC 3339). */
  private String startedAt;
  /** When the canary first had its stage share of ready pods; the stage duration counts from here. */
  private String readyAt;
  /** A Manual stage's `promote` was given. */
  private Boolean approved;

  public StageStatus() {}

  public StageStatus(int index, String name, String startedAt) {
    this.index = index;
    this.name = name;
    this.startedAt = startedAt;
  }

  public Integer getIndex() { return index; }
  public void setIndex(Integer index) { this.index = index; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getReadyAt() { return readyAt; }
  public void setReadyAt(String readyAt) { this.readyAt = readyAt; }
  public Boolean getApproved() { return approved; }
  public void setApproved(Boolean approved) { this.approved = approved; }
}
