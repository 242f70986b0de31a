package dev.stagegate.migration.plan;

import java.util.Map;

/**
 * What the reconciler observed before asking the planner.
 *
 * @param action the raw `stagegate.dev/action` annotation, or null
 * @param jobs the migration's Jobs by name
 * @param preflight the finished preflight the planner asked for, or null while it runs
 * @param verify finished verify evaluations the planner asked for, by check name
 * @param rollbackVerify finished rollback checks, by check name
 */
public record MigrationObservation(long generation, String action, Map<String, ObservedJob> jobs,
    PreflightOutcome preflight, Map<String, VerifyOutcome> verify, Map<String, VerifyOutcome> rollbackVerify) {

  public static MigrationObservation of(long generation) {
    return new MigrationObservation(generation, null, Map.of(), null, Map.of(), Map.of());
  }
}
