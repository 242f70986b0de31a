package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.MigrationReasons;
import java.util.List;

/** What the checks before any write found: schema, guards, boundaries. */
public sealed interface PreflightOutcome {

  /** Could not decide (a database unreachable, a Secret missing, a guard query erroring): try again later. */
  record Blocked(MigrationReasons.Cause reason, String message, List<GuardOutcome> guards) implements PreflightOutcome {}

  /** The spec does not fit the databases (a missing column, a Secret without jdbcUrl...): InvalidSpec. */
  record Invalid(List<String> errors) implements PreflightOutcome {}

  /** Decided not to migrate: a guard failed, the source is empty, the target already holds rows in the range. */
  record Refused(MigrationReasons.Cause reason, String message, List<GuardOutcome> guards) implements PreflightOutcome {}

  /** Everything passed; the stage boundaries are fixed. */
  record Ready(List<GuardOutcome> guards, Boundaries boundaries) implements PreflightOutcome {}
}
