package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.WorkloadRef;
import dev.stagegate.api.release.WorkloadRefStatus;
import dev.stagegate.api.release.WorkloadRefStatus.Phase;
import dev.stagegate.common.Copies;
import dev.stagegate.common.Note;
import dev.stagegate.release.plan.DeploymentState;
import dev.stagegate.release.plan.ReferencedDeployment;
import dev.stagegate.release.plan.ReleaseObservation;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.release.plan.WorkloadChange;
import dev.stagegate.release.plan.WorkloadRefRules;
import dev.stagegate.release.plan.WorkloadRefStep;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * spec.workloadRef, decided by the pure planner: a Release adopts the Deployment "web" (3 replicas) by rolling out its
 * pod template, and the operator scales "web" down only as far as the Release's own ready pods cover it.
 */
class WorkloadRefTest {
  private final ReleasePlanner planner = new ReleasePlanner();
  private Instant now = ReleaseScenario.START;

  /** The Release as written: no template, a reference to Deployment web. */
  private static Release adopting(int replicas) {
    Release release = ReleaseScenario.standard().release();
    release.getSpec().setTemplate(null);
    release.getSpec().setReplicas(replicas);
    release.getSpec().setWorkloadRef(new WorkloadRef("web"));
    return release;
  }

  /** What the reconciler hands the planner: the referenced Deployment's template lent as spec.template. */
  private static Release view(Release written) {
    Release view = Copies.deep(written, Release.class);
    view.getSpec().setTemplate(ReleaseScenario.template("registry.example/web:1.0"));
    return view;
  }

  private ReleasePlan turn(Release written, Map<String, DeploymentState> owned, ReferencedDeployment web) {
    now = now.plus(Duration.ofSeconds(5));
    Release view = written.getSpec().getTemplate() == null && web.found() ? view(written) : written;
    String revision = view.getSpec().getTemplate() == null ? "" : RevisionHash.of(view);
    ReleaseObservation seen = new ReleaseObservation(1L, revision, owned, null, Map.of());
    ReleasePlan plan = planner.turn(view, now).referencing(web).plan(seen);
    written.setStatus(plan.status());
    return plan;
  }

  private static Map<String, DeploymentState> stable(String revision, int replicas, int ready) {
    Map<String, DeploymentState> owned = new HashMap<>();
    owned.put(revision, new DeploymentState(revision, "web-" + revision, replicas, ready));
    return owned;
  }

  private static ReferencedDeployment web(int replicas, int ready) {
    return new ReferencedDeployment("web", true, replicas, ready, true);
  }

  @Test
  @DisplayName("given Deployment web at 3 ready replicas, when a Release adopts it and its own stable pods become ready one by one, then web goes 3 -> 2 -> 1 -> 0 and the two together never have fewer than 3 ready pods")
  void scalesDownOnlyAsOwnedPodsBecomeReady() {
    Release release = adopting(3);

    ReleasePlan first = turn(release, Map.of(), web(3, 3));
    String revision = release.getStatus().getStableRevision();
    assertThat(revision).isEqualTo(RevisionHash.of(view(release)));
    assertThat(first.changes()).containsExactly(new WorkloadChange.Scale(revision, 3));
    WorkloadRefStatus adopted = release.getStatus().getWorkloadRef();
    assertThat(adopted.getOriginalReplicas()).isEqualTo(3);
    assertThat(adopted.getScaledDownTo()).as("nothing of the Release is ready yet").isEqualTo(3);
    assertThat(adopted.getPhase()).isEqualTo(Phase.ScalingDown);

    int webReplicas = 3;
    for (int ready = 0; ready <= 3; ready++) {
      turn(release, stable(revision, 3, ready), web(webReplicas, webReplicas));
      webReplicas = release.getStatus().getWorkloadRef().getScaledDownTo();
      assertThat(webReplicas).isEqualTo(3 - ready);
      assertThat(webReplicas + ready).as("ready capacity with %d owned pods ready", ready).isGreaterThanOrEqualTo(3);
    }
    assertThat(release.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.ScaledDown);
    assertThat(release.getStatus().getWorkloadRef().getOriginalReplicas()).as("still the count to restore").isEqualTo(3);
  }

  @Test
  @DisplayName("given a Release with fewer replicas (2) than the adopted Deployment had (5), then the Deployment keeps 3: never below the capacity the user had")
  void neverBelowTheOriginalCapacity() {
    Release release = adopting(2);
    turn(release, Map.of(), web(5, 5));
    String revision = release.getStatus().getStableRevision();

    turn(release, stable(revision, 2, 2), web(5, 5));

    assertThat(release.getStatus().getWorkloadRef().getScaledDownTo()).isEqualTo(3);
    assertThat(release.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.ScalingDown);
  }

  @Test
  @DisplayName("given Deployment web does not exist, when the Release references it, then it holds with a reason naming the Deployment and spec.workloadRef.name, and nothing is deployed")
  void missingDeploymentHolds() {
    Release release = adopting(3);

    ReleasePlan plan = turn(release, Map.of(), ReferencedDeployment.missing("web"));

    assertThat(plan.changes()).isEmpty();
    assertThat(plan.status().getMessage()).contains("Deployment web", "spec.workloadRef.name", "not found");
    assertThat(plan.notes()).extracting(Note::reason).containsExactly("WorkloadRefMissing");
    assertThat(plan.status().getStableRevision()).isNull();
    assertThat(plan.status().getWorkloadRef().getPhase()).isEqualTo(Phase.Missing);

    ReleasePlan again = turn(release, Map.of(), ReferencedDeployment.missing("web"));
    assertThat(again.notes()).as("one Event, not one per turn").isEmpty();

    ReleasePlan created = turn(release, Map.of(), web(3, 3));
    assertThat(created.changes()).hasSize(1);
    assertThat(created.status().getWorkloadRef().getPhase()).isEqualTo(Phase.ScalingDown);
  }

  @Test
  @DisplayName("given spec.template and spec.workloadRef both set, or a kind other than Deployment, then the spec is invalid with an error naming the field")
  void invalidReferences() {
    Release both = adopting(3);
    both.getSpec().setTemplate(ReleaseScenario.template("registry.example/web:1.0"));
    assertThat(WorkloadRefRules.asWritten(both.getSpec()))
        .containsExactly("spec.workloadRef: exactly one of spec.template and spec.workloadRef may be set, not both");

    Release statefulSet = adopting(3);
    statefulSet.getSpec().getWorkloadRef().setKind("StatefulSet");
    ReleasePlan plan = turn(statefulSet, Map.of(), web(3, 3));
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.status().getMessage()).contains("spec.workloadRef.kind: must be Deployment, got StatefulSet");

    Release neither = adopting(3);
    neither.getSpec().setWorkloadRef(null);
    assertThat(dev.stagegate.release.plan.ReleaseValidator.validate(neither))
        .contains("spec.template: is required (or spec.workloadRef, to adopt an existing Deployment)");
  }

  @Test
  @DisplayName("given web scaled down to 0 for a Release, when a GitOps tool applies replicas=5 (it then owns spec.replicas), then 5 is the new original count, web is held at 5 - 3 ready = 2 with one write, and the next turn writes nothing")
  void outsideReplicasBecomeTheNewOriginal() {
    WorkloadRefStatus scaledDown = status(3, 0, Phase.ScaledDown);

    WorkloadRefStep.Decision changed = WorkloadRefStep.adopt(new WorkloadRef("web"), scaledDown,
        new ReferencedDeployment("web", true, 5, 0, false), 3);

    assertThat(changed.status().getOriginalReplicas()).isEqualTo(5);
    assertThat(changed.status().getScaledDownTo()).isEqualTo(2);
    assertThat(changed.write()).isEqualTo(2);
    assertThat(changed.notes()).extracting(Note::reason).containsExactly("WorkloadRefReplicasChanged");

    WorkloadRefStep.Decision settled = WorkloadRefStep.adopt(new WorkloadRef("web"), changed.status(),
        new ReferencedDeployment("web", true, 2, 2, true), 3);
    assertThat(settled.write()).as("no write loop").isNull();
    assertThat(settled.notes()).isEmpty();
    assertThat(settled.status().getOriginalReplicas()).isEqualTo(5);
  }

  @Test
  @DisplayName("given web at 1 of 3 while the operator's own write to 0 is pending (it owns spec.replicas), then that is no outside change: the original stays 3")
  void ownPendingWriteIsNoOutsideChange() {
    WorkloadRefStep.Decision decision = WorkloadRefStep.adopt(new WorkloadRef("web"), status(3, 0, Phase.ScaledDown),
        new ReferencedDeployment("web", true, 1, 1, true), 3);

    assertThat(decision.status().getOriginalReplicas()).isEqualTo(3);
    assertThat(decision.write()).isZero();
  }

  @Test
  @DisplayName("given web scaled down to 0 for a Release, when spec.workloadRef is removed (spec.template given instead), then web is scaled back to 3 and the status says Restoring until its 3 pods are ready, then Restored")
  void removingTheReferenceRestores() {
    Release release = adopting(3);
    turn(release, Map.of(), web(3, 3));
    String revision = release.getStatus().getStableRevision();
    turn(release, stable(revision, 3, 3), web(3, 3));
    assertThat(release.getStatus().getWorkloadRef().getScaledDownTo()).isZero();

    release.getSpec().setWorkloadRef(null);
    release.getSpec().setTemplate(ReleaseScenario.template("registry.example/web:1.0"));
    turn(release, stable(revision, 3, 3), web(0, 0));
    assertThat(release.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.Restoring);
    assertThat(release.getStatus().getWorkloadRef().getScaledDownTo()).as("what the reconciler applies").isEqualTo(3);

    turn(release, stable(revision, 3, 3), web(3, 1));
    assertThat(release.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.Restoring);

    ReleasePlan restored = turn(release, stable(revision, 3, 3), web(3, 3));
    assertThat(release.getStatus().getWorkloadRef().getPhase()).isEqualTo(Phase.Restored);
    assertThat(restored.notes()).extracting(Note::reason).contains("WorkloadRefRestored");
    assertThat(restored.status().getStableRevision()).as("the Release itself goes on").isEqualTo(revision);
  }

  @Test
  @DisplayName("given a deleted Release whose Deployment was scaled to 0, then restore writes 3 and is done only once 3 pods are ready; a lower count seen meanwhile is put back, a raise is kept")
  void restoreOnDeletion() {
    WorkloadRefStatus scaledDown = status(3, 0, Phase.ScaledDown);

    WorkloadRefStep.Decision first = WorkloadRefStep.restore(scaledDown, new ReferencedDeployment("web", true, 0, 0, true));
    assertThat(first.write()).isEqualTo(3);
    assertThat(first.done()).isFalse();

    WorkloadRefStep.Decision waiting = WorkloadRefStep.restore(first.status(), new ReferencedDeployment("web", true, 3, 2, true));
    assertThat(waiting.write()).isNull();
    assertThat(waiting.done()).isFalse();

    WorkloadRefStep.Decision done = WorkloadRefStep.restore(waiting.status(), new ReferencedDeployment("web", true, 3, 3, true));
    assertThat(done.done()).isTrue();
    assertThat(done.status().getPhase()).isEqualTo(Phase.Restored);

    WorkloadRefStep.Decision lateScaleDown = WorkloadRefStep.restore(first.status(),
        new ReferencedDeployment("web", true, 0, 0, false));
    assertThat(lateScaleDown.status().getOriginalReplicas())
        .as("a lower count seen while restoring (a turn still running at deletion) is not a new original").isEqualTo(3);
    assertThat(lateScaleDown.write()).isEqualTo(3);
    WorkloadRefStep.Decision raised = WorkloadRefStep.restore(first.status(), new ReferencedDeployment("web", true, 5, 0, false));
    assertThat(raised.status().getOriginalReplicas()).as("a raise by someone else is").isEqualTo(5);

    assertThat(WorkloadRefStep.restore(scaledDown, ReferencedDeployment.missing("web")).done())
        .as("a Deployment deleted meanwhile holds nothing up").isTrue();
    assertThat(WorkloadRefStep.restore(null, web(3, 3)).done()).as("nothing was adopted").isTrue();
  }

  private static WorkloadRefStatus status(int original, int scaledDownTo, Phase phase) {
    WorkloadRefStatus status = new WorkloadRefStatus();
    status.setName("web");
    status.setOriginalReplicas(original);
    status.setScaledDownTo(scaledDownTo);
    status.setPhase(phase);
    return status;
  }

}
