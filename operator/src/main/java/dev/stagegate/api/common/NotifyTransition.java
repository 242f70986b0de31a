package dev.stagegate.api.common;

/** A moment in a rollout that a notification target may ask to hear about (`spec.notify[].on`). */
public enum NotifyTransition {
  /** A canary stage (Release) or a migration stage began. */
  StageStarted,
  /** A stage's gate passed and the next stage (or promotion) follows. */
  StagePassed,
  /** The resource is held: awaiting approval, paused by a user or spec, or paused after a failed check. */
  Paused,
  /** The canary was scaled away, or every loaded migration stage undone. */
  RolledBack,
  /** A Release's revision became stable. */
  Promoted,
  /** A DataMigration loaded and verified every stage. */
  Succeeded,
  /** An invalid spec, a refused change, a failed guard or an undo that failed. */
  Failed
}
