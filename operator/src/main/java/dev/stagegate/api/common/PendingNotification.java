package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * A transition not yet delivered to every target that wants it. Holds what the message says, because by the
 * time it is (re)sent the resource has moved on. Never holds a URL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingNotification {
  private Long sequence;
  private NotifyTransition transition;
  /** When the transition happened (RFC 3339). */
  private String at;
  private String revision;
  private String stage;
  private Integer weight;
  private String reason;
  private String message;
  private List<NotifiedCheck> checks = new ArrayList<>();
  /** Targets still to deliver to, each with its own attempts and backoff. */
  private List<PendingTarget> targets = new ArrayList<>();

  public Long getSequence() { return sequence; }
  public void setSequence(Long sequence) { this.sequence = sequence; }
  public NotifyTransition getTransition() { return transition; }
  public void setTransition(NotifyTransition transition) { this.transition = transition; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getStage() { return stage; }
  public void setStage(String stage) { this.stage = stage; }
  public Integer getWeight() { return weight; }
  public void setWeight(Integer weight) { this.weight = weight; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<NotifiedCheck> getChecks() { return checks; }
  public void setChecks(List<NotifiedCheck> checks) { this.checks = checks; }
  public List<PendingTarget> getTargets() { return targets; }
  public void setTargets(List<PendingTarget> targets) { this.targets = targets; }

  /** The target of that name still waiting, or null. */
  public PendingTarget target(String name) {
    return targets.stream().filter(t -> name.equals(t.getName())).findFirst().orElse(null);
  }

  /** One target still to receive the notification. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PendingTarget {
    private String name;
    private Integer attempts;
    /** Not sent again before this (RFC 3339): exponential backoff after a failure. */
    private String nextAttemptAt;
    /** What went wrong last, in the operator's words (status code or error class, never the URL). */
    private String lastError;

    public PendingTarget() {}

    public PendingTarget(String name) { this.name = name; }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Integer getAttempts() { return attempts; }
    public void setAttempts(Integer attempts) { this.attempts = attempts; }
    public String getNextAttemptAt() { return nextAttemptAt; }
    public void setNextAttemptAt(String nextAttemptAt) { this.nextAttemptAt = nextAttemptAt; }
    public String getLastError() { return lastError; }
    public void setLastError(String lastError) { this.lastError = lastError; }

    public int attemptCount() { return attempts == null ? 0 : attempts; }
  }

  /** A check's value at the transition, as the message shows it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NotifiedCheck {
    private String name;
    private String value;
    private String result;

    public NotifiedCheck() {}

    public NotifiedCheck(String name, String value, String result) {
      this.name = name;
      this.value = value;
      this.result = result;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
  }
}
