package dev.stagegate.release.plan;

/** A change the planner asks the reconciler to make to the Release's Deployments. */
public sealed interface WorkloadChange {
  String revision();

  /** Make the revision's Deployment exist with this many replicas (created from spec.template when missing). */
  record Scale(String revision, int replicas) implements WorkloadChange {}

  /** Remove a revision that is neither stable, canary nor the last failed one. */
  record Delete(String revision) implements WorkloadChange {}
}
