package dev.stagegate.api.release;

public enum ReleasePhase {
  /** Deploying the first revision, or a canary moving through its stages. */
  Progressing,
  /** Held: by spec.paused, by a `pause` action, awaiting approval, after a failed check with onFailure: Pause, or without evidence. */
  Paused,
  /** The desired revision is stable and serves at full size. */
  Promoted,
  /** The canary failed and was scaled to zero; the stable revision serves at full size. */
  RolledBack,
  /** The spec is invalid; nothing was changed. */
  Failed
}
