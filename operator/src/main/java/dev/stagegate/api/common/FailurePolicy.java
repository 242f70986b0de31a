package dev.stagegate.api.common;

/** What a failed stage does. */
public enum FailurePolicy {
  Rollback,
  Pause
}
