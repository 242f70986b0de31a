package dev.stagegate.sandbox;

import static dev.stagegate.sandbox.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SimulatedJobStatusTest {
  private static final Instant START = Instant.parse("2026-01-01T10:00:00.900Z");
  private static final Instant END = Instant.parse("2026-01-01T10:00:07.100Z");

  @Test
  @DisplayName("Given a new Job, when its pod starts and then succeeds, then both status writes pass the API server's rules and end Complete")
  void successPath() {
    Job j = job("ns", "load");
    JobStatus running = SimulatedJobStatus.running(j, START);
    assertThat(JobStatusRules.violations(null, running)).isEmpty();
    assertThat(running.getStartTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(running.getActive()).isEqualTo(1);
    j.setStatus(running);

    JobStatus done = SimulatedJobStatus.finished(j, JobOutcome.success("copied 10 rows"), END);

    assertThat(JobStatusRules.violations(running, done)).isEmpty();
    assertThat(done.getConditions()).extracting(JobCondition::getType).containsExactly("SuccessCriteriaMet", "Complete");
    assertThat(done.getConditions()).allSatisfy(c -> assertThat(c.getMessage()).isEqualTo("copied 10 rows"));
    assertThat(done.getSucceeded()).isEqualTo(1);
    assertThat(done.getActive()).isZero();
    assertThat(done.getStartTime()).isEqualTo(running.getStartTime());
    assertThat(done.getCompletionTime()).isEqualTo("2026-01-01T10:00:07Z");
  }

  @Test
  @DisplayName("Given a running Job with backoffLimit 2, when its pod fails, then it is Failed after FailureTarget with 3 failed pods and no completion time")
  void failurePath() {
    Job j = job("ns", "load");
    j.setStatus(SimulatedJobStatus.running(j, START));

    JobStatus failed = SimulatedJobStatus.finished(j, JobOutcome.failure("source environment is prod"), END);

    assertThat(JobStatusRules.violations(j.getStatus(), failed)).isEmpty();
    assertThat(failed.getConditions()).extracting(JobCondition::getType).containsExactly("FailureTarget", "Failed");
    assertThat(failed.getFailed()).isEqualTo(3);
    assertThat(failed.getCompletionTime()).isNull();
  }

  @Test
  @DisplayName("Given a Job the runner never saw start, when it finishes, then a start time is filled in so the write is still valid")
  void finishedWithoutRunning() {
    JobStatus done = SimulatedJobStatus.finished(job("ns", "load"), JobOutcome.success(), END);

    assertThat(JobStatusRules.violations(null, done)).isEmpty();
  }

  @Test
  @DisplayName("Given a start time later than the runner's clock, when the Job completes, then completion is not before start")
  void completionNeverBeforeStart() {
    Job j = job("ns", "load");
    j.setStatus(SimulatedJobStatus.running(j, END));

    JobStatus done = SimulatedJobStatus.finished(j, JobOutcome.success(), START);

    assertThat(JobStatusRules.violations(j.getStatus(), done)).isEmpty();
  }

  @Test
  @DisplayName("The rules themselves reject a lone Complete=True, so the checks above can fail")
  void rulesRejectLoneComplete() {
    Job j = job("ns", "load");
    JobStatus done = SimulatedJobStatus.finished(j, JobOutcome.success(), END);
    done.getConditions().removeIf(c -> c.getType().equals("SuccessCriteriaMet"));

    assertThat(JobStatusRules.violations(null, done))
        .contains("cannot set Complete=True condition without the SuccessCriteriaMet=true condition");
  }

  @Test
  @DisplayName("A Job with a Complete or Failed condition counts as finished; one with only the interim condition does not")
  void finishedMeansTerminalCondition() {
    Job j = job("ns", "load");
    j.setStatus(SimulatedJobStatus.finished(j, JobOutcome.failure("x"), END));
    assertThat(SimulatedJobStatus.isFinished(j)).isTrue();

    j.getStatus().getConditions().removeIf(c -> c.getType().equals("Failed"));
    assertThat(SimulatedJobStatus.isFinished(j)).isFalse();
  }
}
