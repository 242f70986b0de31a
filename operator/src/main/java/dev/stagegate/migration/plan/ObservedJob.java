package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.JobState;

/** A Job as the cluster reports it: Running until a Complete or Failed condition appears. */
public record ObservedJob(String name, String uid, JobState state, String message) {

  public boolean finished() {
    return state == JobState.Succeeded || state == JobState.Failed;
  }
}
