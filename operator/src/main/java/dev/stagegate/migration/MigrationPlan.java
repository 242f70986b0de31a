package dev.stagegate.migration;

import dev.stagegate.api.DataMigrationStatus;
import dev.stagegate.common.Note;
import java.time.Duration;
import java.util.List;

/**
 * The planner's answer: the next status, the Jobs to create or delete once it is stored, the Events,
 * and when to look again.
 *
 * @param actionConsumed the `stagegate.dev/action` annotation was handled and must be removed
 */
public record MigrationPlan(DataMigrationStatus status, List<JobChange> jobs, List<Note> notes,
    Duration requeueAfter, boolean actionConsumed) {}
