package dev.stagegate.api.migration;

public enum MigrationPhase {
  /** Accepted; nothing checked yet. */
  Pending,
  /** Checking the schema and running the guards, then fixing the stage boundaries. Nothing is written. */
  Guarding,
  /** The backup Job runs. */
  BackingUp,
  /** A stage's worker Job loads its key range. */
  Migrating,
  /** The verify checks run over every key migrated so far. */
  Verifying,
  /** Held: awaiting approval, after a failure with onFailure: Pause, or without evidence (nothing is written). */
  Paused,
  /** Undo Jobs run, newest stage first, then the target is checked to be as before. */
  RollingBack,
  /** Every stage loaded and verified. */
  Succeeded,
  /** Every loaded stage was undone and the target verified to be as before. */
  RolledBack,
  /** Stopped: an invalid spec, a failed guard or backup (nothing written), or an undo that failed. */
  Failed
}
