package dev.stagegate.sandbox;

import static dev.stagegate.sandbox.Jobs.env;
import static dev.stagegate.sandbox.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class FakeJobRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  KubernetesClient client;
  private FakeJobRunner runner;

  @AfterEach
  void stopRunner() {
    if (runner != null) {
      runner.close();
    }
  }

  @Test
  @DisplayName("Given a Job with env vars, when the handler succeeds, then the handler saw the env and the Job is Complete with valid status")
  void successfulJob() {
    Map<String, String> seenEnv = new ConcurrentHashMap<>();
    runner = FakeJobRunner.builder(client, (job, env) -> {
      seenEnv.putAll(env);
      return JobOutcome.success("copied 42 rows");
    }).build().start();

    client.resource(job("mig", "load-1", env("STAGE", "canary"), env("BATCH", "500"))).create();

    JobStatus status = awaitFinished("mig", "load-1");
    assertThat(seenEnv).containsExactlyInAnyOrderEntriesOf(Map.of("STAGE", "canary", "BATCH", "500"));
    assertThat(status.getSucceeded()).isEqualTo(1);
    assertThat(status.getActive()).isZero();
    assertThat(status.getConditions()).extracting(JobCondition::getType)
        .containsExactly("SuccessCriteriaMet", "Complete");
    assertThat(status.getConditions().get(1).getMessage()).isEqualTo("copied 42 rows");
    assertThat(status.getStartTime()).isNotNull();
    assertThat(status.getCompletionTime()).isNotNull();
    assertThat(JobStatusRules.violations(null, status)).isEmpty();
  }

  @Test
  @DisplayName("Given a handler that reports failure, then the Job is Failed with backoffLimit+1 failed pods")
  void failedJob() {
    runner = FakeJobRunner.builder(client, (job, env) -> JobOutcome.failure("target has 3 extra rows"))
        .build().start();

    client.resource(job("mig", "load-1")).create();

    JobStatus status = awaitFinished("mig", "load-1");
    assertThat(status.getFailed()).isEqualTo(3);
    assertThat(status.getConditions()).extracting(JobCondition::getType).containsExactly("FailureTarget", "Failed");
    assertThat(status.getConditions().get(1).getMessage()).isEqualTo("target has 3 extra rows");
    assertThat(JobStatusRules.violations(null, status)).isEmpty();
  }

  @Test
  @DisplayName("Given a handler that throws, then the Job fails with the exception's message")
  void throwingHandler() {
    runner = FakeJobRunner.builder(client, (job, env) -> {
      throw new IllegalStateException("connection refused");
    }).build().start();

    client.resource(job("mig", "load-1")).create();

    JobStatus status = awaitFinished("mig", "load-1");
    assertThat(conditionMessage(status, "Failed")).isEqualTo("IllegalStateException: connection refused");
  }

  @Test
  @DisplayName("Given a slow Job whose object changes while it runs and after it finished, then the handler ran it exactly once")
  void exactlyOncePerUid() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    runner = FakeJobRunner.builder(client, (job, env) -> {
      release.await(5, TimeUnit.SECONDS);
      return JobOutcome.success();
    }).build().start();
    client.resource(job("mig", "load-1")).create();
    await().atMost(TIMEOUT).until(() -> runner.timesRun("load-1") == 1);

    for (int i = 0; i < 3; i++) {
      int n = i;
      Conflicts.retry(() -> client.batch().v1().jobs().inNamespace("mig").withName("load-1")
          .edit(j -> { j.getMetadata().getLabels().put("touch", "t" + n); return j; }));
    }
    release.countDown();
    awaitFinished("mig", "load-1");
    Conflicts.retry(() -> client.batch().v1().jobs().inNamespace("mig").withName("load-1")
        .edit(j -> { j.getMetadata().getLabels().put("touch", "after"); return j; }));

    await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> runner.timesRun("load-1") == 1);
    assertThat(runner.runCounts()).isEqualTo(Map.of("load-1", 1));
  }

  @Test
  @DisplayName("Given a finished Job, when a new runner starts (the watch replays it), then it is not run again")
  void finishedJobsAreNotRerun() {
    runner = FakeJobRunner.builder(client, (job, env) -> JobOutcome.success()).build().start();
    client.resource(job("mig", "load-1")).create();
    awaitFinished("mig", "load-1");
    runner.close();

    runner = FakeJobRunner.builder(client, (job, env) -> JobOutcome.success()).build().start();

    await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> runner.timesRun("load-1") == 0);
  }

  @Test
  @DisplayName("Given a Job deleted and created again under the same name, then the new one runs too")
  void recreatedJobRunsAgain() {
    runner = FakeJobRunner.builder(client, (job, env) -> JobOutcome.success()).build().start();
    client.resource(job("mig", "load-1")).create();
    awaitFinished("mig", "load-1");

    client.batch().v1().jobs().inNamespace("mig").withName("load-1").delete();
    await().atMost(TIMEOUT).until(() -> client.batch().v1().jobs().inNamespace("mig").withName("load-1").get() == null);
    client.resource(job("mig", "load-1")).create();

    await().atMost(TIMEOUT).until(() -> runner.timesRun("load-1") == 2);
    awaitFinished("mig", "load-1");
  }

  @Test
  @DisplayName("Given a suspended Job, then it runs only once it is resumed")
  void suspendedJobWaits() {
    runner = FakeJobRunner.builder(client, (job, env) -> JobOutcome.success()).build().start();
    Job suspended = job("mig", "load-1");
    suspended.getSpec().setSuspend(true);
    client.resource(suspended).create();
    await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> runner.timesRun("load-1") == 0);

    Conflicts.retry(() -> client.batch().v1().jobs().inNamespace("mig").withName("load-1")
        .edit(j -> { j.getSpec().setSuspend(false); return j; }));

    awaitFinished("mig", "load-1");
    assertThat(runner.timesRun("load-1")).isEqualTo(1);
  }

  @Test
  @DisplayName("Given env from a Secret, then the handler gets the decoded value; a missing required Secret fails the Job without its value in the message")
  void envFromSecret() {
    client.resource(new SecretBuilder().withNewMetadata().withName("db").withNamespace("mig").endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))
        .build()).create();
    Map<String, String> seenEnv = new ConcurrentHashMap<>();
    runner = FakeJobRunner.builder(client, (job, env) -> {
      seenEnv.putAll(env);
      return JobOutcome.success();
    }).build().start();

    client.resource(job("mig", "load-1", secretEnv("DB_PASSWORD", "db", "password"))).create();
    client.resource(job("mig", "load-2", secretEnv("DB_PASSWORD", "missing", "password"))).create();

    awaitFinished("mig", "load-1");
    assertThat(seenEnv).containsEntry("DB_PASSWORD", "s3cret");
    JobStatus failed = awaitFinished("mig", "load-2");
    assertThat(conditionMessage(failed, "Failed")).contains("CreateContainerConfigError", "\"missing\"");
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
        .build();
  }

  private JobStatus awaitFinished(String namespace, String name) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      Job j = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
      return j != null && SimulatedJobStatus.isFinished(j);
    });
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get().getStatus();
  }

  private static String conditionMessage(JobStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow()
        .getMessage();
  }
}
