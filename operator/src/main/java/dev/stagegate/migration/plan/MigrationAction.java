package dev.stagegate.migration.plan;

import dev.stagegate.common.ActionWord;

/** What a person asks a DataMigration for with the annotation `stagegate.dev/action`. */
public enum MigrationAction implements ActionWord {
  /** A Manual stage is verified: go on to the next. */
  APPROVE("approve"),
  /** After a failed verify check (onFailure: Pause): evaluate the checks again. */
  RESUME("resume"),
  /** After a failed step (onFailure: Pause, or a failed undo): undo the stage, then run it again. */
  RETRY_STAGE("retry-stage"),
  /** Roll back now: undo every loaded stage, newest first. */
  ABORT("abort");

  private final String word;

  MigrationAction(String word) {
    this.word = word;
  }

  @Override
  public String word() {
    return word;
  }
}
