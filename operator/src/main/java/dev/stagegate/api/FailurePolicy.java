package dev.stagegate.api;

/** What a failed stage does. */
public enum FailurePolicy {
  Rollback,
  Pause
}
