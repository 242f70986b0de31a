package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.templates.TemplatedMigration;
import java.util.List;
import java.util.Optional;

/**
 * No write without the checks that judge it: a verify check's template may arrive a moment after the DataMigration
 * (one GitOps commit), so a missing one holds the migration with TemplatePending, never fails it.
 */
final class TemplateHold {
  private TemplateHold() {
  }

  /** Whether nothing is written yet and a template is missing: no guards run, no Job starts. */
  static boolean beforeFirstWrite(DataMigrationStatus status, TemplatedMigration templated) {
    return (status.getStages() == null || status.getStages().isEmpty()) && status.getRollback() == null
        && templated.missing().isPresent();
  }

  /** Before the first write: holds while a template is missing, and says so once; continues when they all exist. */
  static boolean hold(MigrationDraft d, TemplatedMigration templated) {
    Optional<String> missing = templated.missing();
    if (missing.isPresent()) {
      d.next.setPhase(MigrationPhase.Pending);
      d.pause(MigrationReasons.Cause.TemplatePending, "waits for its check templates: " + missing.get()
          + "; nothing is written until they exist");
      return true;
    }
    if (d.pausedFor(MigrationReasons.Cause.TemplatePending)) {
      d.resume("its check templates exist");
    }
    return false;
  }

  /**
   * During a stage: a check whose template was missing when the stage started has no body to evaluate; the stage
   * waits (nothing more is loaded) until the template is there.
   */
  static boolean holdVerify(MigrationDraft d, List<VerifyCheck> checks) {
    for (VerifyCheck check : checks) {
      if (check.unresolvedTemplate()) {
        d.pause(MigrationReasons.Cause.TemplatePending, "check " + check.getName() + " waits for "
            + check.getTemplateRef().describe() + ", which is not there; nothing more is written until it exists");
        return true;
      }
    }
    return false;
  }
}
