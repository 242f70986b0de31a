package dev.stagegate.release.plan;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.ActionTurn;
import dev.stagegate.common.ByName;
import dev.stagegate.common.Timestamps;
import dev.stagegate.templates.TemplateRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Release's pure planner: validates the spec once per turn, then runs the steps in a fixed order
 * (user action, revision tracking, canary progress, settling the others, status summary). No Kubernetes or
 * Prometheus inside: the reconciler observes, this decides, the commit point writes.
 */
public final class ReleasePlanner {
  public static final Duration IDLE_REQUEUE = ReleaseDraft.IDLE_REQUEUE;

  public Turn turn(Release release, Instant now) {
    return turn(release, now, List.of());
  }

  /** A turn whose spec also has the reconciler's template refusals (each naming its field). */
  public Turn turn(Release release, Instant now, List<String> templateErrors) {
    List<String> errors = new ArrayList<>(templateErrors);
    errors.addAll(ReleaseValidator.validate(release));
    return new Turn(release, now, errors);
  }

  public List<Check> dueChecks(Release release, Instant now) {
    return turn(release, now).dueChecks();
  }

  public ReleasePlan plan(Release release, ReleaseObservation observation, Instant now) {
    return turn(release, now).plan(observation);
  }

  public static CheckStatus find(List<CheckStatus> checks, String name) {
    return ByName.find(checks, CheckStatus::getName, name);
  }

  public static final class Turn {
    private final Release release;
    private final Instant now;
    private final List<String> errors;
    private ReferencedDeployment referenced;

    private Turn(Release release, Instant now, List<String> errors) {
      this.release = release;
      this.now = now;
      this.errors = errors;
    }

    /** The Deployment named by spec.workloadRef (or, once removed, status.workloadRef) as observed this turn. */
    public Turn referencing(ReferencedDeployment seen) {
      this.referenced = seen;
      return this;
    }

    public List<Check> dueChecks() {
      ReleaseStatus status = release.getStatus();
      ReleaseSpec spec = release.getSpec();
      if (status != null
        && spec != null
        && status.getCanaryRevision() != null
        && status.getCurrentStage() != null
        && status.getCurrentStage().getReadyAt() != null
        && status.getPhase() != ReleasePhase.Failed
        && spec.getChecks() != null
        && errors.isEmpty()) {
        List<Check> due = new ArrayList<>();

        for (Check check : spec.getChecks()) {
          CheckStatus cs = ReleasePlanner.find(status.getChecks(), check.getName());
          Instant last = cs == null ? null : Timestamps.parse(cs.getLastEvaluationTime());
          if (last == null || !now.isBefore(last.plus(CheckEvidence.interval(check)))) {
            due.add(check);
          }
        }

        return due;
      } else {
        return List.of();
      }
    }

    public ReleasePlan plan(ReleaseObservation observation) {
      ReleaseDraft d = new ReleaseDraft(release, observation, now);
      Long seenGeneration = d.next.getObservedGeneration();
      d.next.setObservedGeneration(observation.generation());
      if (!errors.isEmpty()) {
        return StatusSummary.invalid(d, "invalid spec: " + String.join("; ", errors));
      }
      if (InvalidQueryHold.applies(d, seenGeneration)) {
        return InvalidQueryHold.plan(d);
      }
      // A workload change the API server refused for good stays refused until the spec changes.
      boolean refusedBefore = d.next.getPhase() == ReleasePhase.Failed
          && observation.generation() > 0L && Objects.equals(seenGeneration, observation.generation());
      if (observation.refusal() != null || refusedBefore) {
        return StatusSummary.refused(d);
      }
      if (WorkloadRefStep.waiting(d)) {
        return WorkloadRefStep.hold(d, referenced);
      }
      d.action = ActionTurn.read(UserAction.class, observation.action(), d.next, d.notes, now);
      if (StableGone.applies(d) && StableGone.hold(d)) {
        return d.plan();
      }
      Revisions.follow(d);
      if (d.next.getCanaryRevision() != null) {
        CanaryProgress.step(d);
      }
      // An action no step applied is reported, not silently kept for later.
      d.action.ignore("in phase " + (d.next.getPhase() == null ? ReleasePhase.Progressing : d.next.getPhase()));
      Revisions.settleOthers(d);
      TrafficPlan.finish(d);
      TemplateRecords.keep(d.next, observation.templates());
      StatusSummary.finish(d);
      ScaleStatus.finish(d);
      WorkloadRefStep.finish(d, referenced);
      return d.plan();
    }
  }
}
