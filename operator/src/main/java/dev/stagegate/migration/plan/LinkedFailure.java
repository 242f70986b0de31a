package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.link.LinkBook;
import dev.stagegate.link.LinkView;
import java.util.Optional;

/**
 * A linked Release that rolled back during this run aborts the migration (RollBackBoth, whatever
 * spec.onFailure says): through the ordinary rollback, which undoes every loaded stage newest first and then
 * verifies the target. The decision is written to status.links and status.rollback, so a restarted operator
 * does not start a second undo.
 */
final class LinkedFailure {
  private LinkedFailure() {
  }

  static boolean aborts(MigrationDraft d) {
    LinkBook book = LinkBook.of(d.next.getLinks(), d.next::setLinks);
    book.track(d.obs.links(), d.now);
    if (d.next.getRollback() != null) {
      return false;
    }
    Optional<LinkView> failed = book.failureToFollow(d.obs.links(), d.now);
    if (failed.isEmpty()) {
      return false;
    }
    LinkView view = failed.get();
    book.markFailed(view, "aborted this migration: " + view.failure(), d.now);
    String message = "linked " + view.resource() + " " + view.failure();
    if (d.next.getStages().isEmpty()) {
      d.terminalFailure(MigrationReasons.Cause.LinkedReleaseRolledBack, message + "; nothing was written", true);
    } else {
      Undo.startRollback(d, MigrationReasons.Cause.LinkedReleaseRolledBack, message);
    }
    return true;
  }
}
