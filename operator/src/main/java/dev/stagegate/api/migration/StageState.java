package dev.stagegate.api.migration;

public enum StageState {
  /** Not started. */
  Pending,
  /** The worker Job was created (or is about to be, right after this status was stored). */
  Running,
  /** The worker Job succeeded; verification pending. */
  Loaded,
  /** Every verify check passed over the keys migrated up to this stage. */
  Verified,
  /** The worker Job or a verify check failed. */
  Failed,
  /** The undo Job removed what the stage loaded. */
  Undone
}
