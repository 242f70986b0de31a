package dev.stagegate.migration.plan;

/** A Job the planner wants created or deleted, after the status that decided it is stored. */
public sealed interface JobChange {
  String name();

  /** @param stage index of the stage, or -1 for the backup */
  record Create(JobKind kind, int stage, String name) implements JobChange {}

  /** Stops a worker that must not keep writing (an abort during a load). */
  record Delete(String name) implements JobChange {}
}
