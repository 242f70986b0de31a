package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One Job the operator started. Stored before the Job is created, so a restarted operator finds the
 * Job by its name instead of starting a second one; the uid proves the Job existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobRun {
  private String name;
  private String uid;
  private Integer attempt;
  private JobState state;
  private String createdAt;
  private String finishedAt;
  private String message;

  public JobRun() {}

  public JobRun(String name, int attempt, String createdAt) {
    this.name = name;
    this.attempt = attempt;
    this.state = JobState.Running;
    this.createdAt = createdAt;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUid() { return uid; }
  public void setUid(String uid) { this.uid = uid; }
  public Integer getAttempt() { return attempt; }
  public void setAttempt(Integer attempt) { this.attempt = attempt; }
  public JobState getState() { return state; }
  public void setState(JobState state) { this.state = state; }
  public String getCreatedAt() { return createdAt; }
  public void setCreatedAt(String createdAt) { this.createdAt = createdAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }

  public int attemptOrOne() { return attempt == null ? 1 : attempt; }
}
