package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.Note;
import dev.stagegate.common.Plan;
import java.time.Duration;
import java.util.List;

/**
 * The planner's answer: the next status, the workload changes, the Events, and when to look again.
 *
 * @param changes empty when nothing may be touched (an invalid spec)
 * @param actionConsumed the `stagegate.dev/action` annotation was handled and must be removed
 * @param route what to write into the Services and the HTTPRoute before the workload changes, or null without
 *              trafficRouting (and with an invalid spec)
 */
public record ReleasePlan(ReleaseStatus status, List<WorkloadChange> changes, List<Note> notes,
    Duration requeueAfter, boolean actionConsumed, RouteWrite route) implements Plan<ReleaseStatus> {

  public ReleasePlan(ReleaseStatus status, List<WorkloadChange> changes, List<Note> notes, Duration requeueAfter,
      boolean actionConsumed) {
    this(status, changes, notes, requeueAfter, actionConsumed, null);
  }
}
