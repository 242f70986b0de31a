package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Job status update rules of kube-apiserver 1.34 (pkg/apis/batch/validation ValidateJobStatusUpdate with the
 * options the registry enables when the status changes), written down so tests catch a status a real API server
 * would reject with 422 even though the mock server takes anything.
 */
final class JobStatusRules {
  private JobStatusRules() {}

  static List<String> violations(JobStatus before, JobStatus after) {
    JobStatus old = before == null ? new JobStatus() : before;
    List<String> errors = new ArrayList<>();
    boolean complete = isTrue(after, "Complete");
    boolean failed = isTrue(after, "Failed");
    boolean successCriteriaMet = isTrue(after, "SuccessCriteriaMet");
    boolean failureTarget = isTrue(after, "FailureTarget");
    boolean finished = complete || failed;
    int active = after.getActive() == null ? 0 : after.getActive();

    if (complete && failed) errors.add("cannot set Complete=True and Failed=true conditions");
    if (complete && failureTarget) errors.add("cannot set Complete=True and FailureTarget=true conditions");
    if (after.getCompletionTime() != null && !complete) errors.add("cannot set completionTime when there is no Complete=True condition");
    if (after.getCompletionTime() == null && complete) errors.add("completionTime is required for Complete jobs");
    if (after.getStartTime() != null && after.getCompletionTime() != null
        && Instant.parse(after.getCompletionTime()).isBefore(Instant.parse(after.getStartTime()))) {
      errors.add("completionTime cannot be set before startTime");
    }
    if (failed && !failureTarget) errors.add("cannot set Failed=True condition without the FailureTarget=true condition");
    if (complete && !successCriteriaMet) errors.add("cannot set Complete=True condition without the SuccessCriteriaMet=true condition");
    if (finished && active > 0) errors.add("active>0 is invalid for finished job");
    if (finished && after.getStartTime() == null) errors.add("startTime is required for finished job");
    if (finished && after.getTerminating() != null && after.getTerminating() > 0) errors.add("terminating>0 is invalid for finished job");
    if (after.getReady() != null && after.getReady() > active) errors.add("cannot set more ready pods than active");
    if (successCriteriaMet && failed) errors.add("cannot set SuccessCriteriaMet=True and Failed=true conditions");
    if (successCriteriaMet && failureTarget) errors.add("cannot set SuccessCriteriaMet=True and FailureTarget=true conditions");
    for (String terminal : List.of("Failed", "Complete", "FailureTarget")) {
      if (isTrue(old, terminal) && !isTrue(after, terminal)) errors.add("cannot disable the terminal " + terminal + "=True condition");
    }
    if (count(after.getFailed()) < count(old.getFailed())) errors.add("cannot decrease the failed counter");
    if (count(after.getSucceeded()) < count(old.getSucceeded())) errors.add("cannot decrease the succeeded counter");
    if (old.getCompletionTime() != null && after.getCompletionTime() != null
        && !old.getCompletionTime().equals(after.getCompletionTime())) errors.add("completionTime cannot be mutated");
    if (old.getStartTime() != null && !Objects.equals(old.getStartTime(), after.getStartTime())) {
      errors.add("startTime cannot be removed for unsuspended job");
    }
    if (isTrue(old, "SuccessCriteriaMet") && !successCriteriaMet) errors.add("cannot disable the SuccessCriteriaMet=True condition");
    return errors;
  }

  private static boolean isTrue(JobStatus status, String type) {
    List<JobCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
    return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
