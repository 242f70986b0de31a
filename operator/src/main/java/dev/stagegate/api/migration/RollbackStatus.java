package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Why and how far a rollback went; its checks expect the undone key range to be empty in the target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackStatus {
  private String reason;
  private String message;
  private String startedAt;
  private String finishedAt;
  /** Set when it ends: true when compare checks found the undone keys empty, false when only the undo Jobs said so. */
  private Boolean verified;
  private List<VerifyStatus> checks = new ArrayList<>();

  public RollbackStatus() {}

  public RollbackStatus(String reason, String message, String startedAt) {
    this.reason = reason;
    this.message = message;
    this.startedAt = startedAt;
  }

  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
  public Boolean getVerified() { return verified; }
  public void setVerified(Boolean verified) { this.verified = verified; }
  public List<VerifyStatus> getChecks() { return checks; }
  public void setChecks(List<VerifyStatus> checks) { this.checks = checks; }
}
