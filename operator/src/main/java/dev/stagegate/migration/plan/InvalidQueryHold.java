package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.migration.VerifyStatus;
import java.util.List;
import java.util.Objects;

/**
 * A verify check whose query Prometheus refuses (a syntax error) is a spec error, not missing evidence: asking again
 * cannot help. The migration pauses with reason {@code InvalidQuery} naming the field, with one Warning; nothing more
 * is loaded, nothing is undone, no failure is counted, and the query is not asked again until the spec changes (a new
 * generation). Then the checks are asked again at once, from the stage that was held.
 */
final class InvalidQueryHold {
  private InvalidQueryHold() {
  }

  /** Whether the status is held for a refused query that its generation has not changed since. */
  static boolean holding(DataMigrationStatus status, long generation) {
    return MigrationReasons.Cause.InvalidQuery.name().equals(status.getPauseReason())
        && Objects.equals(status.getObservedGeneration(), generation);
  }

  /** True when this turn holds the stage: a query was refused now, or earlier and the spec is unchanged. */
  static boolean holds(MigrationDraft d, List<VerifyStatus> entries, List<VerifyCheck> checks) {
    for (VerifyCheck check : checks) {
      VerifyOutcome outcome = d.obs.verify().get(check.getName());
      VerifyStatus vs = MigrationState.find(entries, check.getName());
      if (outcome != null && outcome.invalidQuery() && vs != null) {
        Verify.record(d, vs, outcome);
        d.pause(MigrationReasons.Cause.InvalidQuery, outcome.message()
            + "; the stage is held as it is (nothing more is loaded, nothing undone) until the query is fixed");
        return true;
      }
    }
    if (!d.pausedFor(MigrationReasons.Cause.InvalidQuery)) {
      return false;
    }
    if (Objects.equals(d.previousGeneration, d.obs.generation())) {
      return true;
    }
    // The spec changed: every check not passed yet is asked again now, not an interval after its refusal, and an
    // inconclusive result from before (the refusal) is no longer news: it is not missing evidence to pause for.
    for (VerifyStatus vs : entries) {
      if (!vs.hasPassed()) {
        vs.setEvaluatedAt(null);
        if (vs.getResult() != null && !vs.getResult().conclusive()) {
          vs.setResult(null);
          vs.setMessage(null);
        }
      }
    }
    d.resume("the spec changed: asking the verify checks again");
    return false;
  }
}
