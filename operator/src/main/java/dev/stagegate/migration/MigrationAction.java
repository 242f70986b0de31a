package dev.stagegate.migration;

import java.util.Locale;
import java.util.Optional;

/** What a person asks a DataMigration for with the annotation `stagegate.dev/action`. */
public enum MigrationAction {
  /** A Manual stage is verified: go on to the next. */
  APPROVE("approve"),
  /** After a failed verify check (onFailure: Pause): evaluate the checks again. */
  RESUME("resume"),
  /** After a failed step (onFailure: Pause, or a failed undo): undo the stage, then run it again. */
  RETRY_STAGE("retry-stage"),
  /** Roll back now: undo every loaded stage, newest first. */
  ABORT("abort");

  public static final String ANNOTATION = "stagegate.dev/action";
  private final String word;

  MigrationAction(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public static Optional<MigrationAction> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (MigrationAction action : values()) {
      if (action.word.equals(wanted)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }
}
