package dev.stagegate.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * kstatus conditions (Ready, Reconciling, Stalled), so that `kubectl wait --for=condition=Ready`,
 * Flux and Argo CD read a resource's health without custom code. A condition keeps its
 * lastTransitionTime unless its status flips.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private final boolean ready;
  private final boolean reconciling;
  private final boolean stalled;
  private final String reason;
  private final String message;

  private Conditions(boolean ready, boolean reconciling, boolean stalled, String reason, String message) {
    this.ready = ready;
    this.reconciling = reconciling;
    this.stalled = stalled;
    this.reason = reason;
    this.message = message;
  }

  /** Done: the desired state is reached and nothing is in flight. */
  public static Conditions ready(String reason, String message) {
    return new Conditions(true, false, false, reason, message);
  }

  /** Working towards the desired state. */
  public static Conditions progressing(String reason, String message) {
    return new Conditions(false, true, false, reason, message);
  }

  /** Still reconciling, but unable to make progress until something changes (a paused stage, a failed guard). */
  public static Conditions blocked(String reason, String message) {
    return new Conditions(false, true, true, reason, message);
  }

  /** Stopped for good until a person acts (invalid spec, rolled back). */
  public static Conditions stalled(String reason, String message) {
    return new Conditions(false, false, true, reason, message);
  }

  public String message() {
    return message;
  }

  /** The three conditions after this state, keeping each lastTransitionTime whose status did not flip. */
  public List<Condition> after(List<Condition> previous, long generation, Instant now) {
    List<Condition> next = new ArrayList<>();
    next.add(merge(previous, READY, ready, generation, now));
    next.add(merge(previous, RECONCILING, reconciling, generation, now));
    next.add(merge(previous, STALLED, stalled, generation, now));
    return next;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private Condition merge(List<Condition> previous, String type, boolean on, long generation, Instant now) {
    String status = on ? "True" : "False";
    Condition old = find(previous, type);
    String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
        ? old.getLastTransitionTime() : Timestamps.format(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
