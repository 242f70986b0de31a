package dev.stagegate.templates;

import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.RecordedVerifyCheck;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a DataMigration's {@code status.templateChecks}: what each template verify check resolved to when the current
 * stage (this load attempt of it) started. The stage is the migration's unit of evidence, as the canary is a
 * Release's: its keys are judged by the bar it started with, and an edited template applies from the next stage
 * (or a retried load). A pure step at the end of a planner turn; the status write makes it restart-safe.
 */
public final class MigrationTemplateRecords {
  private MigrationTemplateRecords() {}

  /** After a turn decided {@code next}: no running stage, no records; otherwise the current stage's, made if new. */
  public static void keep(DataMigrationStatus next, List<TemplatedMigration.Entry> fresh) {
    String stage = stageKey(next);
    if (stage == null || fresh.isEmpty()) {
      next.setTemplateChecks(null);
      return;
    }
    List<RecordedVerifyCheck> kept = new ArrayList<>();
    for (TemplatedMigration.Entry entry : fresh) {
      RecordedVerifyCheck recorded = recorded(next, entry);
      if (recorded != null) {
        kept.add(recorded);
      } else if (entry.check() != null) {
        VerifyCheck body = Copies.deep(entry.check(), VerifyCheck.class);
        body.setTemplateRef(null);
        body.setArgs(null);
        kept.add(new RecordedVerifyCheck(stage, Copies.deep(entry.ref(), CheckTemplateRef.class), entry.args(), body));
      }
    }
    next.setTemplateChecks(kept.isEmpty() ? null : kept);
  }

  /** The record the current stage holds for this entry, if it is for the same template and arguments. */
  static RecordedVerifyCheck recorded(DataMigrationStatus status, TemplatedMigration.Entry entry) {
    String stage = stageKey(status);
    if (stage == null || status.getTemplateChecks() == null) {
      return null;
    }
    for (RecordedVerifyCheck r : status.getTemplateChecks()) {
      if (Objects.equals(r.getStage(), stage) && entry.sameAs(r)) {
        return r;
      }
    }
    return null;
  }

  static VerifyCheck asCheck(RecordedVerifyCheck recorded) {
    VerifyCheck check = Copies.deep(recorded.getCheck(), VerifyCheck.class);
    check.setTemplateRef(recorded.getTemplate());
    check.setArgs(recorded.getArgs());
    return check;
  }

  /**
   * "pilot" for the first load of stage pilot, "pilot#2" for its second (retry-stage): the unit a record belongs to.
   * Null while no stage runs: before the first load, during a rollback, and once the run has ended.
   */
  static String stageKey(DataMigrationStatus status) {
    if (status == null || status.getCurrentStage() == null || status.getRollback() != null || ended(status.getPhase())) {
      return null;
    }
    int attempt = 1;
    if (status.getStages() != null) {
      for (StageProgress s : status.getStages()) {
        if (status.getCurrentStage().equals(s.getName()) && s.getJob() != null) {
          attempt = s.getJob().attemptOrOne();
        }
      }
    }
    return attempt == 1 ? status.getCurrentStage() : status.getCurrentStage() + "#" + attempt;
  }

  private static boolean ended(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.Failed || phase == MigrationPhase.RolledBack;
  }
}
