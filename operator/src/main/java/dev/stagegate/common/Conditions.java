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

  private Conditions() {}

  /** The three conditions for a state: ready, or reconciling, or stalled (reconciling and stalled may both hold). */
  public static List<Condition> kstatus(List<Condition> previous, boolean ready, boolean reconciling, boolean stalled,
      String reason, String message, long generation, Instant now) {
    List<Condition> next = new ArrayList<>();
    next.add(merge(previous, READY, ready, reason, message, generation, now));
    next.add(merge(previous, RECONCILING, reconciling, reason, message, generation, now));
    next.add(merge(previous, STALLED, stalled, reason, message, generation, now));
    return next;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static Condition merge(List<Condition> previous, String type, boolean on, String reason, String message,
      long generation, Instant now) {
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
