package dev.stagegate.api.migration;

public enum JobState {
  Running,
  Succeeded,
  Failed,
  /** Deleted by the operator before it finished (an abort while loading). */
  Cancelled
}
