package dev.stagegate.api.common;

/** What a failure on one side of a Release ↔ DataMigration link does to the other side. */
public enum LinkPolicy {
  /** A rolled-back Release aborts the migration (undo newest first); a failed migration rolls the Release back. */
  RollBackBoth,
  /** Each side fails on its own; a gate on a failed resource keeps waiting, with a message. */
  Independent
}
