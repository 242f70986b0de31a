package dev.stagegate.release;

import dev.stagegate.api.ReleaseStatus;
import dev.stagegate.common.Note;
import java.time.Duration;
import java.util.List;

/**
 * The planner's answer: the next status, the workload changes, the Events, and when to look again.
 *
 * @param changes empty when nothing may be touched (an invalid spec)
 * @param actionConsumed the `stagegate.dev/action` annotation was handled and must be removed
 */
public record ReleasePlan(ReleaseStatus status, List<WorkloadChange> changes, List<Note> notes,
    Duration requeueAfter, boolean actionConsumed) {}
