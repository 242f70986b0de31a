package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.common.Note;
import dev.stagegate.common.Plan;
import java.time.Duration;
import java.util.List;

/**
 * The planner's answer: the next status, the Jobs to create or delete once it is stored, the Events,
 * and when to look again.
 *
 * @param actionConsumed the `stagegate.dev/action` annotation was handled and must be removed
 */
public record MigrationPlan(DataMigrationStatus status, List<JobChange> jobs, List<Note> notes,
    Duration requeueAfter, boolean actionConsumed) implements Plan<DataMigrationStatus> {}
