package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.RecordedCheck;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps {@code status.templateChecks}: what each template check of the running canary resolved to when it was
 * first needed. A pure step at the end of a planner turn; the status write makes it restart-safe.
 */
public final class TemplateRecords {
  private TemplateRecords() {}

  /**
   * After a turn decided {@code next}: no canary, no records; records of another revision go (a new canary
   * resolves afresh); a template check without a record for this canary gets today's resolution.
   */
  public static void keep(ReleaseStatus next, FreshChecks fresh) {
    String canary = next.getCanaryRevision();
    if (canary == null || fresh.entries().isEmpty()) {
      next.setTemplateChecks(null);
      return;
    }
    List<RecordedCheck> kept = new ArrayList<>();
    for (FreshChecks.Entry entry : fresh.entries()) {
      RecordedCheck recorded = recorded(next, entry);
      if (recorded != null) {
        kept.add(recorded);
      } else if (entry.check() != null) {
        Check body = Copies.deep(entry.check(), Check.class);
        body.setTemplateRef(null);
        body.setArgs(null);
        kept.add(new RecordedCheck(canary, Copies.deep(entry.ref(), CheckTemplateRef.class), entry.args(), body));
      }
    }
    next.setTemplateChecks(kept.isEmpty() ? null : kept);
  }

  /** The record the running canary holds for this entry, if it is for the same template and arguments. */
  static RecordedCheck recorded(ReleaseStatus status, FreshChecks.Entry entry) {
    if (status == null || status.getCanaryRevision() == null || status.getTemplateChecks() == null) {
      return null;
    }
    for (RecordedCheck r : status.getTemplateChecks()) {
      if (Objects.equals(r.getRevision(), status.getCanaryRevision()) && r.getCheck() != null
          && Objects.equals(r.getCheck().getName(), entry.name()) && entry.sameAs(r.getTemplate(), r.getArgs())) {
        return r;
      }
    }
    return null;
  }

  /** A recorded check as the planner sees it: the body, with the reference it came from. */
  static Check asCheck(RecordedCheck recorded) {
    Check check = Copies.deep(recorded.getCheck(), Check.class);
    check.setTemplateRef(recorded.getTemplate());
    check.setArgs(recorded.getArgs());
    return check;
  }
}
