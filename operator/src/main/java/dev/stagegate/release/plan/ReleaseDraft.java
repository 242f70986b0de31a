package dev.stagegate.release.plan;

import dev.stagegate.api.common.Durations;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.ActionTurn;
import dev.stagegate.common.ByName;
import dev.stagegate.common.Copies;
import dev.stagegate.common.Note;
import dev.stagegate.routing.CanaryPods;
import dev.stagegate.routing.GatewayApiRouting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status being decided in one turn, with the workload changes, Events and wake-up time the steps add
 * to it. Steps mutate only this draft; the previous status is never touched.
 */
final class ReleaseDraft {
  static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10L);
  static final Duration MIN_REQUEUE = Duration.ofMillis(500L);
  static final Duration MAX_REQUEUE = Duration.ofSeconds(30L);
  static final Duration IDLE_REQUEUE = Duration.ofMinutes(5L);
  final Release release;
  final ReleaseSpec spec;
  final ReleaseObservation obs;
  final Instant now;
  final ReleaseStatus next;
  final List<Note> notes = new ArrayList<>();
  private final Map<String, Integer> scale = new LinkedHashMap<>();
  private final List<Instant> wakeUps = new ArrayList<>();
  /** spec.trafficRouting in the engine's terms, or null: canary pods then follow the route, not the weight. */
  final GatewayApiRouting routing;
  RouteWrite route;
  String pauseDetail;
  /** Why a new revision has not started its canary: a check template is missing. Null otherwise. */
  String templateWait;
  ActionTurn<UserAction> action;

  ReleaseDraft(Release release, ReleaseObservation obs, Instant now) {
    this.release = release;
    this.spec = release.getSpec();
    this.obs = obs;
    this.now = now;
    ReleaseStatus previous = release.getStatus() == null ? new ReleaseStatus() : release.getStatus();
    this.next = Copies.deep(previous, ReleaseStatus.class);
    this.routing = RouteSpecs.routing(spec).orElse(null);
  }

  void note(Note note) {
    this.notes.add(note);
  }

  void scale(String revision, int replicas) {
    this.scale.put(revision, replicas);
  }

  void delete(String revision) {
    this.scale.put(revision, -1);
  }

  boolean sized(String revision) {
    return this.scale.containsKey(revision);
  }

  void wakeAt(Instant at) {
    this.wakeUps.add(at);
  }

  ReleasePlan plan() {
    List<WorkloadChange> changes = new ArrayList<>();
    this.scale
      .forEach((rev, replicas) -> changes.add((WorkloadChange)(replicas < 0 ? new WorkloadChange.Delete(rev) : new WorkloadChange.Scale(rev, replicas))));
    return new ReleasePlan(this.next, changes, this.notes, requeue(), this.action != null && this.action.consumed(),
        this.route);
  }

  /**
   * Drops this turn's scale-downs and deletions of revisions other than the stable one, for as long as the route
   * may still send them requests. Returns whether any was dropped.
   */
  boolean holdScaleDowns() {
    boolean held = false;
    for (var it = this.scale.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Integer> e = it.next();
      DeploymentState current = this.obs.deployments().get(e.getKey());
      if (!e.getKey().equals(this.next.getStableRevision()) && current != null && current.replicas() > 0
          && e.getValue() < current.replicas()) {
        it.remove();
        held = true;
      }
    }
    return held;
  }

  ReleasePlan planWithoutChanges() {
    return new ReleasePlan(this.next, List.of(), this.notes, IDLE_REQUEUE, false);
  }

  private Duration requeue() {
    Optional<Instant> soonest = this.wakeUps.stream().min(Instant::compareTo);
    if (soonest.isEmpty()) {
      return this.next.getCanaryRevision() != null ? MAX_REQUEUE : IDLE_REQUEUE;
    } else {
      Duration wait = Duration.between(this.now, soonest.get());
      if (wait.compareTo(MIN_REQUEUE) < 0) {
        return MIN_REQUEUE;
      } else {
        return wait.compareTo(MAX_REQUEUE) > 0 ? MAX_REQUEUE : wait;
      }
    }
  }

  boolean pausedFor(ReleaseReasons.Pause cause) {
    return cause.name().equals(this.next.getPauseReason());
  }

  void pause(ReleaseReasons.Pause cause) {
    this.next.setPauseReason(cause.name());
  }

  Optional<ReleaseReasons.Pause> pause() {
    return ReleaseReasons.Pause.of(this.next.getPauseReason());
  }

  int full() {
    return this.spec.getReplicas();
  }

  Stage stageOf(StageStatus stageStatus) {
    return this.spec.getStages().get(Math.min(stageStatus.getIndex(), this.spec.getStages().size() - 1));
  }

  List<Check> checks() {
    return this.spec.getChecks() == null ? List.of() : this.spec.getChecks();
  }

  CheckStatus checkStatus(String name) {
    return ByName.find(this.next.getChecks(), CheckStatus::getName, name);
  }

  Duration progressDeadline() {
    return Durations.parseOr(this.spec.getProgressDeadline(), DEFAULT_PROGRESS_DEADLINE);
  }

  String deadlineText() {
    return this.spec.getProgressDeadline() != null ? this.spec.getProgressDeadline() : DEFAULT_PROGRESS_DEADLINE.toMinutes() + "m";
  }

  CanaryReplicas.Split split(Stage stage) {
    if (this.routing != null) {
      // The route sets the share, so the canary needs only the pods that carry it, and stable stays full.
      return new CanaryReplicas.Split(CanaryPods.forStage(null, RouteSpecs.step(stage), full()), full());
    }
    return CanaryReplicas.split(full(), stage.getWeight(), CanaryReplicas.surgePods(this.spec.getMaxSurge(), full()));
  }

  int stableFor(Stage stage) {
    int canaryReady = this.obs.ready(this.next.getCanaryRevision());
    if (this.routing != null) {
      return full();
    }
    if (stage.getWeight() >= 100) {
      return canaryReady >= full() ? 0 : full();
    } else {
      return CanaryReplicas.stableDuringStage(split(stage), full(), canaryReady);
    }
  }

  void sizeFor(Stage stage) {
    scale(this.next.getCanaryRevision(), split(stage).canary());
    scale(this.next.getStableRevision(), stableFor(stage));
  }

  boolean atWeight(Stage stage) {
    CanaryReplicas.Split pods = split(stage);
    if (this.routing != null) {
      return this.obs.ready(this.next.getCanaryRevision()) >= pods.canary()
          && TrafficPlan.inEffect(this.obs.route(), RouteSpecs.step(stage));
    }
    int stableReady = this.obs.ready(this.next.getStableRevision());
    return this.obs.ready(this.next.getCanaryRevision()) >= pods.canary() && (stage.getWeight() < 100 ? stableReady <= pods.stable() : stableReady == 0);
  }
}
