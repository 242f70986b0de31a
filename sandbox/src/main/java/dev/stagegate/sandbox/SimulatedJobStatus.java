package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The status the job controller writes for a one-pod Job, in a shape kube-apiserver 1.31+ accepts. Pure.
 *
 * <p>What the API server's status validation demands (pkg/apis/batch/validation, 1.34): a finished Job has a
 * {@code startTime} and no active pods; {@code Complete=True} needs {@code SuccessCriteriaMet=True} and a
 * {@code completionTime} no earlier than {@code startTime}; {@code Failed=True} needs {@code FailureTarget=True}
 * and no {@code completionTime}; success and failure conditions never mix; counters never decrease and
 * {@code startTime} never changes once set. The interim condition comes before the terminal one, as the job
 * controller appends them.
 */
final class SimulatedJobStatus {
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String COMPLETE = "Complete";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String FAILED = "Failed";
  private static final int DEFAULT_BACKOFF_LIMIT = 6;
  private static final int MAX_MESSAGE_LENGTH = 1024;

  private SimulatedJobStatus() {}

  /** True when the Job already carries a terminal condition, so no pod would run for it again. */
  static boolean isFinished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> (COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus()));
  }

  /** The pod is running: start time set (kept if already set), one active and ready pod. */
  static JobStatus running(Job job, Instant now) {
    JobStatus current = current(job);
    return new JobStatusBuilder(current)
        .withStartTime(current.getStartTime() != null ? current.getStartTime() : timestamp(now))
        .withActive(1)
        .withReady(1)
        .build();
  }

  /** The pod ended: counters and the interim then terminal condition, as the job controller records them. */
  static JobStatus finished(Job job, JobOutcome outcome, Instant now) {
    JobStatus current = current(job);
    String startTime = current.getStartTime() != null ? current.getStartTime() : timestamp(now);
    // Second precision can put "now" before a start time written by another clock; never end before starting.
    String endTime = latest(startTime, timestamp(now));
    String message = truncate(outcome.message());
    List<JobCondition> conditions = new ArrayList<>(current.getConditions() == null ? List.of() : current.getConditions());
    JobStatusBuilder next = new JobStatusBuilder(current)
        .withStartTime(startTime)
        .withActive(0)
        .withReady(0);
    if (outcome.succeeded()) {
      conditions.add(condition(SUCCESS_CRITERIA_MET, "CompletionsReached", message, endTime));
      conditions.add(condition(COMPLETE, "CompletionsReached", message, endTime));
      next.withSucceeded(Math.max(completions(job), orZero(current.getSucceeded())))
          .withCompletionTime(endTime);
      if (indexed(job)) {
        int n = completions(job);
        next.withCompletedIndexes(n == 1 ? "0" : "0-" + (n - 1));
      }
    } else {
      conditions.add(condition(FAILURE_TARGET, "BackoffLimitExceeded", message, endTime));
      conditions.add(condition(FAILED, "BackoffLimitExceeded", message, endTime));
      next.withFailed(Math.max(backoffLimit(job) + 1, orZero(current.getFailed())));
    }
    return next.withConditions(conditions).build();
  }

  static boolean indexed(Job job) {
    return "Indexed".equals(job.getSpec().getCompletionMode()) && job.getSpec().getCompletions() != null;
  }

  private static JobStatus current(Job job) {
    return job.getStatus() == null ? new JobStatus() : job.getStatus();
  }

  private static int completions(Job job) {
    Integer completions = job.getSpec().getCompletions();
    return completions == null ? 1 : completions;
  }

  /** A Job fails once it has seen backoffLimit + 1 failed pods; the API server defaults the limit to 6. */
  private static int backoffLimit(Job job) {
    Integer limit = job.getSpec().getBackoffLimit();
    return limit == null ? DEFAULT_BACKOFF_LIMIT : limit;
  }

  private static JobCondition condition(String type, String reason, String message, String time) {
    return new JobConditionBuilder()
        .withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastProbeTime(time).withLastTransitionTime(time)
        .build();
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String latest(String a, String b) {
    return Instant.parse(a).isAfter(Instant.parse(b)) ? a : b;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static String truncate(String message) {
    String text = message == null ? "" : message;
    return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH);
  }
}
