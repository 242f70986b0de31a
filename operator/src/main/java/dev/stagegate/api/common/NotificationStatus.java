package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The notification outbox: transitions waiting to be delivered, the latest deliveries, and the next sequence
 * number. Lives in status so that a restarted operator neither forgets nor repeats a notification.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationStatus {
  /** The sequence the next transition gets; with the resource's uid it is each message's idempotency key. */
  private Long nextSequence;
  private List<PendingNotification> pending = new ArrayList<>();
  /** The latest outcomes, newest last (bounded). */
  private List<Delivery> delivered = new ArrayList<>();
  /** Transitions dropped because the outbox was full (the oldest go first). */
  private Integer dropped;

  public Long getNextSequence() { return nextSequence; }
  public void setNextSequence(Long nextSequence) { this.nextSequence = nextSequence; }
  public List<PendingNotification> getPending() { return pending; }
  public void setPending(List<PendingNotification> pending) { this.pending = pending; }
  public List<Delivery> getDelivered() { return delivered; }
  public void setDelivered(List<Delivery> delivered) { this.delivered = delivered; }
  public Integer getDropped() { return dropped; }
  public void setDropped(Integer dropped) { this.dropped = dropped; }

  /** One transition's fate at one target. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Delivery {
    private Long sequence;
    private String target;
    private NotifyTransition transition;
    /** Delivered, or GaveUp after the last attempt. */
    private String outcome;
    private Integer attempts;
    private String at;

    public Delivery() {}

    public Delivery(long sequence, String target, NotifyTransition transition, String outcome, int attempts, String at) {
      this.sequence = sequence;
      this.target = target;
      this.transition = transition;
      this.outcome = outcome;
      this.attempts = attempts;
      this.at = at;
    }

    public Long getSequence() { return sequence; }
    public void setSequence(Long sequence) { this.sequence = sequence; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public NotifyTransition getTransition() { return transition; }
    public void setTransition(NotifyTransition transition) { this.transition = transition; }
    public String getOutcome() { return outcome; }
    public void setOutcome(String outcome) { this.outcome = outcome; }
    public Integer getAttempts() { return attempts; }
    public void setAttempts(Integer attempts) { this.attempts = attempts; }
    public String getAt() { return at; }
    public void setAt(String at) { this.at = at; }
  }
}
