package dev.stagegate.migration.plan;

import dev.stagegate.link.LinkView;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler observed before asking the planner.
 *
 * @param action the raw `stagegate.dev/action` annotation, or null
 * @param jobs the migration's Jobs by name
 * @param preflight the finished preflight the planner asked for, or null while it runs
 * @param verify finished verify evaluations the planner asked for, by check name
 * @param rollbackVerify finished rollback checks, by check name
 * @param links the linked Releases (spec.gates either way), as observed
 */
public record MigrationObservation(long generation, String action, Map<String, ObservedJob> jobs,
    PreflightOutcome preflight, Map<String, VerifyOutcome> verify, Map<String, VerifyOutcome> rollbackVerify,
    List<LinkView> links) {

  public MigrationObservation(long generation, String action, Map<String, ObservedJob> jobs,
      PreflightOutcome preflight, Map<String, VerifyOutcome> verify, Map<String, VerifyOutcome> rollbackVerify) {
    this(generation, action, jobs, preflight, verify, rollbackVerify, List.of());
  }

  public MigrationObservation withLinks(List<LinkView> observed) {
    return new MigrationObservation(generation, action, jobs, preflight, verify, rollbackVerify, observed);
  }

  public static MigrationObservation of(long generation) {
    return new MigrationObservation(generation, null, Map.of(), null, Map.of(), Map.of());
  }
}
