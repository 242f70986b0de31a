package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status the deployment controller would write for a Deployment whose pods are in a given state. Pure: the
 * kubelet decides how many pods are ready; this class only turns that into fields and conditions.
 *
 * <p>It keeps to what kube-apiserver validates (ready, available and updated never exceed replicas; available never
 * exceeds ready) and to the condition vocabulary operators read: {@code Available} and {@code Progressing}, with
 * {@code ProgressDeadlineExceeded} for pods that never come up.
 */
final class SimulatedDeploymentStatus {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  private SimulatedDeploymentStatus() {}

  /** Replicas the Deployment asks for; the API server defaults a missing value to 1. */
  static int desiredReplicas(Deployment d) {
    Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  static DeploymentStatus next(Deployment d, int readyReplicas, boolean progressDeadlineExceeded, Instant now) {
    int desired = desiredReplicas(d);
    int ready = Math.max(0, Math.min(readyReplicas, desired));
    boolean available = ready >= desired - maxUnavailable(d, desired);
    String name = d.getMetadata().getName();
    List<DeploymentCondition> previous = d.getStatus() == null ? List.of() : d.getStatus().getConditions();

    DeploymentCondition availableCondition = available
        ? condition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        : condition(AVAILABLE, "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
    DeploymentCondition progressingCondition;
    if (ready == desired) {
      progressingCondition = condition(PROGRESSING, "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + name + "\" has successfully progressed.");
    } else if (progressDeadlineExceeded) {
      progressingCondition = condition(PROGRESSING, "False", PROGRESS_DEADLINE_EXCEEDED,
          "ReplicaSet \"" + name + "\" has timed out progressing.");
    } else {
      progressingCondition = condition(PROGRESSING, "True", "ReplicaSetUpdated",
          "ReplicaSet \"" + name + "\" is progressing.");
    }
    List<DeploymentCondition> conditions = new ArrayList<>();
    conditions.add(stamped(availableCondition, find(previous, AVAILABLE), now));
    conditions.add(stamped(progressingCondition, find(previous, PROGRESSING), now));

    return new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(desired)
        .withUpdatedReplicas(desired)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .withUnavailableReplicas(desired - ready)
        .withConditions(conditions)
        .build();
  }

  /**
   * True when both statuses say the same thing. Condition timestamps do not count, so rewriting them is no change;
   * a missing count equals 0, because a real API server drops zero counts from what it returns (Go omitempty).
   */
  static boolean sameIgnoringTimestamps(DeploymentStatus a, DeploymentStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && count(a.getReplicas()) == count(b.getReplicas())
        && count(a.getUpdatedReplicas()) == count(b.getUpdatedReplicas())
        && count(a.getReadyReplicas()) == count(b.getReadyReplicas())
        && count(a.getAvailableReplicas()) == count(b.getAvailableReplicas())
        && count(a.getUnavailableReplicas()) == count(b.getUnavailableReplicas())
        && conditionsKey(a).equals(conditionsKey(b));
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  private static List<String> conditionsKey(DeploymentStatus s) {
    return s.getConditions().stream()
        .map(c -> c.getType() + "|" + c.getStatus() + "|" + c.getReason() + "|" + c.getMessage())
        .sorted()
        .toList();
  }

  /**
   * How many pods may be down while the Deployment still counts as available: RollingUpdate's maxUnavailable
   * (default 25%, rounded down as the controller does); Recreate tolerates none.
   */
  static int maxUnavailable(Deployment d, int desired) {
    var strategy = d.getSpec() == null ? null : d.getSpec().getStrategy();
    if (strategy != null && "Recreate".equals(strategy.getType())) {
      return 0;
    }
    IntOrString value = strategy == null || strategy.getRollingUpdate() == null
        ? null : strategy.getRollingUpdate().getMaxUnavailable();
    if (value == null) {
      return desired / 4;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal();
    if (text != null && text.endsWith("%")) {
      return desired * Integer.parseInt(text.substring(0, text.length() - 1)) / 100;
    }
    return text == null ? desired / 4 : Integer.parseInt(text);
  }

  private static DeploymentCondition condition(String type, String status, String reason, String message) {
    return new DeploymentConditionBuilder()
        .withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }

  /** Keeps the earlier timestamps when nothing changed, as the controller does, so transitions stay readable. */
  private static DeploymentCondition stamped(DeploymentCondition next, Optional<DeploymentCondition> before,
      Instant now) {
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    boolean sameStatus = before.isPresent() && Objects.equals(before.get().getStatus(), next.getStatus());
    boolean sameReason = sameStatus && Objects.equals(before.get().getReason(), next.getReason())
        && Objects.equals(before.get().getMessage(), next.getMessage());
    next.setLastTransitionTime(sameStatus && before.get().getLastTransitionTime() != null
        ? before.get().getLastTransitionTime() : timestamp);
    next.setLastUpdateTime(sameReason && before.get().getLastUpdateTime() != null
        ? before.get().getLastUpdateTime() : timestamp);
    return next;
  }

  private static Optional<DeploymentCondition> find(List<DeploymentCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
