package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What both resources' statuses share: the kstatus conditions, the generation they describe, why the
 * resource is paused, and the user action applied last (so an annotation is never applied twice).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class StatusBase {
  private String pauseReason;
  private String message;
  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private String lastAction;
  /**
   * The `stagegate.dev/action` value applied last, until its annotation is seen removed: should the removal not
   * go through, the annotation is removed again but never applied twice.
   */
  private String actionAwaitingRemoval;
  /** Notifications waiting to be delivered and the latest deliveries (see spec.notify). */
  private NotificationStatus notifications;

  public String getPauseReason() { return pauseReason; }
  public void setPauseReason(String pauseReason) { this.pauseReason = pauseReason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  /** The last `stagegate.dev/action` applied, with when (for people reading status). */
  public String getLastAction() { return lastAction; }
  public void setLastAction(String lastAction) { this.lastAction = lastAction; }
  public String getActionAwaitingRemoval() { return actionAwaitingRemoval; }
  public void setActionAwaitingRemoval(String actionAwaitingRemoval) { this.actionAwaitingRemoval = actionAwaitingRemoval; }
  public NotificationStatus getNotifications() { return notifications; }
  public void setNotifications(NotificationStatus notifications) { this.notifications = notifications; }
}
