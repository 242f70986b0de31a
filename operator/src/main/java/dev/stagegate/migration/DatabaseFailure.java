package dev.stagegate.migration;

import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.datacompare.DataCompareException;
import dev.stagegate.migration.plan.PreflightOutcome;
import java.util.List;

/**
 * A database failed under a read the preflight needed (unreachable, the connection dropped, a query error): the
 * spec is not at fault and the same read may work later, so the preflight pauses and tries again instead of calling
 * the spec invalid. Names the database by its Secret; the message is redacted.
 */
final class DatabaseFailure extends RuntimeException {
  private final boolean unreachable;

  private DatabaseFailure(String message, boolean unreachable) {
    super(message);
    this.unreachable = unreachable;
  }

  /** Rethrows {@code e} as a database failure when the database failed; otherwise returns it untouched. */
  static DataCompareException throwIfDatabase(SecretDatabase database, String reading, DataCompareException e) {
    if (!e.fromDatabase()) {
      return e;
    }
    String message = database.redact(e.getMessage());
    String named = database.role() + " (" + database.description() + "): ";
    if (message.startsWith(named)) {
      message = message.substring(named.length()); // said once, below
    }
    throw new DatabaseFailure(e.unreachable()
        ? "the " + database.description() + " could not be reached while " + reading + ": " + message
        : reading + " in the " + database.description() + " failed: " + message, e.unreachable());
  }

  PreflightOutcome.Blocked blocked() {
    return new PreflightOutcome.Blocked(unreachable ? MigrationReasons.Cause.DatabaseUnreachable
        : MigrationReasons.Cause.NoEvidence, getMessage(), List.of());
  }
}
