package dev.stagegate.api.common;

/** Whether a stage completes by itself or waits for a person's `promote`. */
public enum Approval {
  Auto,
  Manual
}
