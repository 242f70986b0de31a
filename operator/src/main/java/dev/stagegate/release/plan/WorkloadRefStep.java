package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.WorkloadRef;
import dev.stagegate.api.release.WorkloadRefStatus;
import dev.stagegate.api.release.WorkloadRefStatus.Phase;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides the replicas of a Deployment adopted through spec.workloadRef. It shrinks only by the Release's own ready
 * pods (replicas = original - ready owned, never below 0: at first these are all stable pods; later a canary's ready
 * pods count too, as they replace stable ones), so the capacity the user had is never lost; and
 * it returns to the original count when the reference is removed or the Release is deleted (Argo Rollouts #3855:
 * replicas left at 0 are an outage).
 *
 * <p>Replicas someone else sets (Helm, Argo CD, kubectl scale: they then own spec.replicas) are not fought: they
 * become the new original count, and the Deployment is held at that count minus the ready stable pods. The
 * operator writes only when its own answer differs from the live value, so a single outside change costs a single
 * write back, never a loop (Argo Rollouts #4935).
 */
public final class WorkloadRefStep {
  private WorkloadRefStep() {
  }

  /**
   * @param write the replicas to apply to the referenced Deployment, or null to leave it alone
   * @param done  nothing more to do for it (restored and ready, gone, or never adopted)
   */
  public record Decision(WorkloadRefStatus status, Integer write, List<Note> notes, boolean done) {
  }

  /** The Release runs with spec.workloadRef: hold the referenced Deployment at original - the Release's ready pods. */
  public static Decision adopt(WorkloadRef ref, WorkloadRefStatus previous, ReferencedDeployment seen, int readyOwned) {
    List<Note> notes = new ArrayList<>();
    WorkloadRefStatus next = new WorkloadRefStatus();
    next.setName(ref.getName());
    boolean adopted = previous != null && ref.getName().equals(previous.getName())
        && previous.getOriginalReplicas() != null && previous.getPhase() != Phase.Restored;
    if (!seen.found()) {
      next.setPhase(Phase.Missing);
      next.setOriginalReplicas(adopted ? previous.getOriginalReplicas() : null);
      next.setScaledDownTo(adopted ? previous.getScaledDownTo() : null);
      next.setMessage(missingMessage(ref.getName()));
      return new Decision(next, null, notes, false);
    }
    int original = adopted ? originalAfter(previous, seen, notes) : seen.replicas();
    int target = Math.max(0, original - Math.max(0, readyOwned));
    next.setOriginalReplicas(original);
    next.setScaledDownTo(target);
    next.setPhase(target == 0 ? Phase.ScaledDown : Phase.ScalingDown);
    return new Decision(next, seen.replicas() == target ? null : target, notes, false);
  }

  /** spec.workloadRef was removed or the Release is being deleted: put the original replicas back and wait for them. */
  public static Decision restore(WorkloadRefStatus previous, ReferencedDeployment seen) {
    List<Note> notes = new ArrayList<>();
    if (previous == null || previous.getOriginalReplicas() == null || previous.getPhase() == Phase.Restored) {
      return new Decision(previous, null, notes, true);
    }
    WorkloadRefStatus next = new WorkloadRefStatus();
    next.setName(previous.getName());
    if (!seen.found()) {
      next.setPhase(Phase.Restored);
      next.setOriginalReplicas(previous.getOriginalReplicas());
      next.setMessage("Deployment " + previous.getName() + " is gone: nothing to scale back");
      return new Decision(next, null, notes, true);
    }
    // Only a raise counts as someone else's new count here: a lower value is most likely this operator's own
    // scale-down from a turn that was still running when the Release was deleted, and restoring fewer pods than
    // the user had is the outage this step exists to prevent.
    int original = Math.max(previous.getOriginalReplicas(), originalAfter(previous, seen, notes));
    if (original == previous.getOriginalReplicas()) {
      notes.clear();
    }
    next.setOriginalReplicas(original);
    next.setScaledDownTo(original);
    boolean ready = seen.replicas() == original && seen.readyReplicas() >= original;
    next.setPhase(ready ? Phase.Restored : Phase.Restoring);
    if (ready) {
      notes.add(Note.normal(ReleaseReasons.Event.WorkloadRefRestored, "Deployment " + previous.getName()
          + " is back at its " + original + " original replicas, all ready"));
    } else {
      next.setMessage("scaling Deployment " + previous.getName() + " back to " + original + " replicas ("
          + seen.readyReplicas() + " ready)");
    }
    return new Decision(next, seen.replicas() == original ? null : original, notes, ready);
  }

  /** The recorded original, or the count someone else set since the operator last wrote. */
  private static int originalAfter(WorkloadRefStatus previous, ReferencedDeployment seen, List<Note> notes) {
    int original = previous.getOriginalReplicas();
    if (!seen.replicasOurs() && !Objects.equals(seen.replicas(), previous.getScaledDownTo())
        && seen.replicas() != original) {
      notes.add(Note.normal(ReleaseReasons.Event.WorkloadRefReplicasChanged, "Deployment " + previous.getName()
          + "'s replicas were set to " + seen.replicas() + " by another field manager (was held at "
          + previous.getScaledDownTo() + "): " + seen.replicas() + " is its new original count"));
      return seen.replicas();
    }
    return original;
  }

  static String missingMessage(String name) {
    return "waiting for Deployment " + name + " (spec.workloadRef.name): not found in the Release's namespace"
        + " (one labelled " + ScaleStatus.RELEASE_LABEL + " belongs to a Release and is never adopted);"
        + " nothing is deployed until it exists";
  }

  /** Before the planner's steps: a Release whose referenced Deployment is missing holds with nothing deployed. */
  static boolean waiting(ReleaseDraft d) {
    return d.spec.getWorkloadRef() != null && d.spec.getTemplate() == null;
  }

  static ReleasePlan hold(ReleaseDraft d, ReferencedDeployment seen) {
    String message = missingMessage(d.spec.getWorkloadRef().getName());
    if (!message.equals(d.next.getMessage())) {
      d.note(Note.warning(ReleaseReasons.Event.WorkloadRefMissing, message));
    }
    if (d.next.getPhase() == null) {
      d.next.setPhase(ReleasePhase.Progressing);
    }
    d.next.setMessage(message);
    d.next.setConditions(Conditions.blocked(ReleaseReasons.Event.WorkloadRefMissing.name(), message)
        .after(d.next.getConditions(), d.obs.generation(), d.now));
    finish(d, seen);
    return d.planWithoutChanges();
  }

  /** The planner's last step (after {@link ScaleStatus}): the referenced Deployment from the Release's ready pods. */
  static void finish(ReleaseDraft d, ReferencedDeployment seen) {
    WorkloadRefStatus previous = d.next.getWorkloadRef();
    if (seen == null) {
      return;
    }
    Decision decision = d.spec.getWorkloadRef() != null
        ? adopt(d.spec.getWorkloadRef(), previous, seen, d.next.getReplicas() == null ? 0 : d.next.getReplicas())
        : restore(previous, seen);
    d.next.setWorkloadRef(decision.status());
    d.notes.addAll(decision.notes());
  }
}
