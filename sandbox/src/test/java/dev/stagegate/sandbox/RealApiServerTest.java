package dev.stagegate.sandbox;

import static dev.stagegate.sandbox.Deployments.revision;
import static dev.stagegate.sandbox.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fakes against a real kube-apiserver 1.34, whose status validation the mock server does not have. */
@Tag("apiserver")
class RealApiServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static RealApiServer apiServer;
  private static KubernetesClient client;

  @BeforeAll
  static void startApiServer() {
    apiServer = RealApiServer.start();
    client = apiServer.client;
  }

  @AfterAll
  static void stopApiServer() {
    if (apiServer != null) {
      apiServer.close();
    }
  }

  @Test
  @DisplayName("Given a stable and a never-ready canary Deployment, then the real API server accepts the kubelet's statuses: stable ready, canary past its deadline, scaling followed")
  void deploymentsOnARealApiServer() {
    namespace("deploy");
    try (FakeKubelet kubelet = FakeKubelet.builder(client).inNamespace("deploy")
        .neverReadyWithPodLabel("revision", "v2").build().start()) {
      client.resource(revision("deploy", "web", "v1", 3)).create();
      Deployment canary = revision("deploy", "web", "v2", 1);
      canary.getSpec().setProgressDeadlineSeconds(1);
      client.resource(canary).create();

      awaitDeployment("web-v1", d -> ready(d) == 3 && observedCurrentGeneration(d));
      Deployment stuck = awaitDeployment("web-v2", d -> hasCondition(d.getStatus(), "ProgressDeadlineExceeded"));
      // A real API server drops zero counts (Go omitempty): readyReplicas comes back absent, not 0.
      assertThat(ready(stuck)).isZero();

      Conflicts.retry(() -> client.apps().deployments().inNamespace("deploy").withName("web-v1")
          .edit(d -> { d.getSpec().setReplicas(5); return d; }));
      Deployment scaled = awaitDeployment("web-v1", d -> ready(d) == 5 && observedCurrentGeneration(d));
      assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
    }
  }

  @Test
  @DisplayName("Given a succeeding and a failing Job, then the real API server accepts the runner's statuses: Complete after SuccessCriteriaMet, Failed after FailureTarget")
  void jobsOnARealApiServer() {
    namespace("jobs");
    try (FakeJobRunner runner = FakeJobRunner.builder(client, (job, env) ->
        "fail".equals(env.get("MODE")) ? JobOutcome.failure("target has extra rows") : JobOutcome.success())
        .inNamespace("jobs").build().start()) {
      client.resource(job("jobs", "load-ok", Jobs.env("MODE", "ok"))).create();
      client.resource(job("jobs", "load-bad", Jobs.env("MODE", "fail"))).create();

      JobStatus ok = awaitFinishedJob("load-ok");
      JobStatus bad = awaitFinishedJob("load-bad");

      assertThat(ok.getConditions()).extracting(JobCondition::getType).containsExactly("SuccessCriteriaMet", "Complete");
      assertThat(ok.getSucceeded()).isEqualTo(1);
      assertThat(bad.getConditions()).extracting(JobCondition::getType).containsExactly("FailureTarget", "Failed");
      assertThat(bad.getFailed()).isEqualTo(3);
      assertThat(runner.runCounts()).containsEntry("load-ok", 1).containsEntry("load-bad", 1);
    }
  }

  @Test
  @DisplayName("The real API server rejects a lone Complete=True, so the Job test above proves something")
  void apiServerValidatesJobStatus() {
    namespace("rules");
    Job created = client.resource(job("rules", "lone-complete")).create();
    String now = SimulatedJobStatus.timestamp(Instant.now());
    created.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
        .withStartTime(now).withCompletionTime(now).withSucceeded(1)
        .addNewCondition().withType("Complete").withStatus("True").endCondition()
        .build());

    assertThatThrownBy(() -> client.resource(created).updateStatus())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("SuccessCriteriaMet");
  }

  private static void namespace(String name) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
  }

  private static Deployment awaitDeployment(String name, Predicate<Deployment> until) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Deployment d = client.apps().deployments().inNamespace("deploy").withName(name).get();
      return d != null && d.getStatus() != null && until.test(d);
    });
    return client.apps().deployments().inNamespace("deploy").withName(name).get();
  }

  private static JobStatus awaitFinishedJob(String name) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Job j = client.batch().v1().jobs().inNamespace("jobs").withName(name).get();
      return j != null && SimulatedJobStatus.isFinished(j);
    });
    return client.batch().v1().jobs().inNamespace("jobs").withName(name).get().getStatus();
  }

  private static int ready(Deployment d) {
    return Objects.requireNonNullElse(d.getStatus().getReadyReplicas(), 0);
  }

  private static boolean observedCurrentGeneration(Deployment d) {
    return Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration());
  }

  private static boolean hasCondition(DeploymentStatus s, String reason) {
    return s.getConditions().stream().anyMatch(c -> reason.equals(c.getReason()));
  }
}
