package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Note;
import dev.stagegate.link.LinkBook;
import dev.stagegate.link.LinkView;
import java.util.Optional;

/**
 * A linked DataMigration that failed or rolled back during this canary rolls the canary back too (RollBackBoth,
 * whatever spec.onFailure says: the link is the declared policy). The decision is written to status.links, so a
 * restarted operator does not act on it twice.
 */
final class LinkedFailure {
  private LinkedFailure() {
  }

  static boolean rollsBack(ReleaseDraft d) {
    LinkBook book = LinkBook.of(d.next.getLinks(), d.next::setLinks);
    book.track(d.obs.links(), d.now);
    Optional<LinkView> failed = book.failureToFollow(d.obs.links(), d.now);
    if (failed.isEmpty()) {
      return false;
    }
    LinkView view = failed.get();
    String message = "linked " + view.resource() + " " + view.failure();
    book.markFailed(view, "rolled this Release back: " + view.failure(), d.now);
    d.note(Note.warning(ReleaseReasons.Event.LinkedMigrationFailed, message + "; rolling back (RollBackBoth)"));
    Rollback.rollback(d, ReleaseReasons.Event.LinkedMigrationFailed, message);
    return true;
  }
}
