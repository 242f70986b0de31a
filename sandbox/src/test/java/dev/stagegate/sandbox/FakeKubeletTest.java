package dev.stagegate.sandbox;

import static dev.stagegate.sandbox.Deployments.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class FakeKubeletTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  KubernetesClient client;
  private FakeKubelet kubelet;

  @AfterEach
  void stopKubelet() {
    if (kubelet != null) {
      kubelet.close();
    }
  }

  @Test
  @DisplayName("Given a Deployment with 3 replicas, when the kubelet runs, then its status says 3 pods are ready and available")
  void deploymentBecomesReady() {
    kubelet = FakeKubelet.builder(client).build().start();

    create(revision("shop", "web", "v1", 3));

    DeploymentStatus status = awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 3));
    assertThat(status.getReplicas()).isEqualTo(3);
    assertThat(status.getUpdatedReplicas()).isEqualTo(3);
    assertThat(status.getAvailableReplicas()).isEqualTo(3);
    assertThat(status.getUnavailableReplicas()).isZero();
    assertThat(status.getObservedGeneration()).isEqualTo(get("shop", "web-v1").getMetadata().getGeneration());
    assertThat(condition(status, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
  }

  @Test
  @DisplayName("Given Deployments created before the kubelet starts, when it starts, then they become ready too")
  void existingDeploymentsAreHandled() {
    create(revision("shop", "web", "v1", 2));

    kubelet = FakeKubelet.builder(client).build().start();

    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 2));
  }

  @Test
  @DisplayName("Given a never-ready rule for the canary's label, when both revisions run, then only the stable one gets ready pods and the canary exceeds its progress deadline")
  void neverReadyCanary() {
    kubelet = FakeKubelet.builder(client).neverReadyWithPodLabel("revision", "v2").build().start();
    create(revision("shop", "web", "v1", 3));
    Deployment canary = revision("shop", "web", "v2", 1);
    canary.getSpec().setProgressDeadlineSeconds(1);
    create(canary);

    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 3));
    DeploymentStatus stuck = awaitStatus("shop", "web-v2",
        s -> "False".equals(conditionStatus(s, "Progressing")));
    assertThat(stuck.getReadyReplicas()).isZero();
    assertThat(stuck.getAvailableReplicas()).isZero();
    assertThat(stuck.getUnavailableReplicas()).isEqualTo(1);
    assertThat(stuck.getReplicas()).isEqualTo(1);
    assertThat(condition(stuck, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(condition(stuck, "Available").getStatus()).isEqualTo("False");
  }

  @Test
  @DisplayName("Given a readiness delay, when a Deployment is created, then its generation is observed at once but its pods are ready only after the delay")
  void readinessDelay() {
    Duration delay = Duration.ofMillis(1500);
    kubelet = FakeKubelet.builder(client).readinessDelay(delay).build().start();
    long createdAt = System.nanoTime();
    create(revision("shop", "web", "v1", 2));

    DeploymentStatus pending = awaitStatus("shop", "web-v1", s -> s.getObservedGeneration() != null);
    long observedAfterMillis = (System.nanoTime() - createdAt) / 1_000_000;
    if (observedAfterMillis < delay.toMillis()) {
      assertThat(pending.getReadyReplicas()).isZero();
      assertThat(conditionStatus(pending, "Progressing")).isEqualTo("True");
      assertThat(condition(pending, "Progressing").getReason()).isEqualTo("ReplicaSetUpdated");
    }

    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 2));
    assertThat((System.nanoTime() - createdAt) / 1_000_000).isGreaterThanOrEqualTo(delay.toMillis());
  }

  @Test
  @DisplayName("Given a ready Deployment, when it is scaled from 3 to 5, then the status follows the new generation")
  void scaleUp() {
    kubelet = FakeKubelet.builder(client).build().start();
    create(revision("shop", "web", "v1", 3));
    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 3));

    Deployment scaled = Conflicts.retry(() -> client.apps().deployments().inNamespace("shop").withName("web-v1")
        .edit(d -> { d.getSpec().setReplicas(5); return d; }));

    DeploymentStatus status = awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 5));
    assertThat(status.getObservedGeneration()).isEqualTo(scaled.getMetadata().getGeneration()).isGreaterThan(1L);
  }

  @Test
  @DisplayName("Given four status writers, when 40 Deployments are created and each scaled twice, then every status ends at its newest generation and size")
  void severalWritersKeepEachDeploymentsOrder() {
    kubelet = FakeKubelet.builder(client).statusWriters(4).build().start();
    for (int i = 0; i < 40; i++) {
      create(revision("shop", "web" + i, "v1", 1));
    }

    for (int replicas : new int[] {2, 3}) {
      for (int i = 0; i < 40; i++) {
        String name = "web" + i + "-v1";
        Conflicts.retry(() -> client.apps().deployments().inNamespace("shop").withName(name)
            .edit(d -> { d.getSpec().setReplicas(replicas); return d; }));
      }
    }

    for (int i = 0; i < 40; i++) {
      String name = "web" + i + "-v1";
      DeploymentStatus status = awaitStatus("shop", name, s -> is(s.getReadyReplicas(), 3));
      assertThat(status.getObservedGeneration()).isEqualTo(get("shop", name).getMetadata().getGeneration());
    }
  }

  @Test
  @DisplayName("Given zero status writers, when the kubelet is built, then it refuses naming the option")
  void zeroWritersRefused() {
    assertThatThrownBy(() -> FakeKubelet.builder(client).statusWriters(0))
        .hasMessageContaining("statusWriters");
  }

  @Test
  @DisplayName("Given a ready Deployment, when a full update wipes its status (as the mock server does), then the kubelet writes it again")
  void statusRestoredAfterWipe() {
    kubelet = FakeKubelet.builder(client).build().start();
    create(revision("shop", "web", "v1", 3));
    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 3));

    Deployment wiped = get("shop", "web-v1");
    wiped.setStatus(null);
    wiped.getMetadata().getLabels().put("touched", "yes");
    assertThat(client.resource(wiped).update().getStatus()).isNull();

    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 3));
  }

  @Test
  @DisplayName("Given a kubelet limited to one namespace, when Deployments exist in two, then only that namespace's get a status")
  void namespaceScope() {
    kubelet = FakeKubelet.builder(client).inNamespace("shop").build().start();
    create(revision("other", "web", "v1", 1));
    create(revision("shop", "web", "v1", 1));

    awaitStatus("shop", "web-v1", s -> is(s.getReadyReplicas(), 1));
    assertThat(get("other", "web-v1").getStatus()).satisfiesAnyOf(
        s -> assertThat(s).isNull(),
        s -> assertThat(s.getReadyReplicas()).isNull());
  }

  @Test
  @DisplayName("Given a readiness listener, when revisions come up and one is deleted, then the ready pods per revision follow")
  void readinessReachesTheListener() {
    AtomicReference<Map<String, Integer>> traffic = new AtomicReference<>(Map.of());
    List<DeploymentReadiness> events = new CopyOnWriteArrayList<>();
    ReadyPodsByLabel byRevision = new ReadyPodsByLabel(Map.of("app", "web"), "revision", traffic::set);
    kubelet = FakeKubelet.builder(client)
        .onReadinessChange(r -> { events.add(r); byRevision.accept(r); })
        .build().start();

    create(revision("shop", "web", "v1", 3));
    create(revision("shop", "web", "v2", 1));
    await().atMost(TIMEOUT).until(() -> traffic.get().equals(Map.of("v1", 3, "v2", 1)));

    client.apps().deployments().inNamespace("shop").withName("web-v2").delete();
    await().atMost(TIMEOUT).until(() -> traffic.get().equals(Map.of("v1", 3)));
    assertThat(events).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("web-v2");
      assertThat(e.readyReplicas()).isZero();
    });
  }

  private void create(Deployment d) {
    client.resource(d).create();
  }

  private Deployment get(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  private DeploymentStatus awaitStatus(String namespace, String name,
      java.util.function.Predicate<DeploymentStatus> until) {
    AtomicReference<DeploymentStatus> seen = new AtomicReference<>();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      Deployment d = get(namespace, name);
      DeploymentStatus s = d == null ? null : d.getStatus();
      seen.set(s);
      return s != null && until.test(s);
    });
    return seen.get();
  }

  private static boolean is(Integer value, int expected) {
    return value != null && value == expected;
  }

  private static DeploymentCondition condition(DeploymentStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static String conditionStatus(DeploymentStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).map(DeploymentCondition::getStatus)
        .findFirst().orElse(null);
  }
}
