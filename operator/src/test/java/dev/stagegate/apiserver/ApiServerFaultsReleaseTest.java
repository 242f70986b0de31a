package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.ApiServerProxy;
import dev.stagegate.testing.ApiServerProxy.Fault;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rollout on the real kube-apiserver while the operator's connection to it misbehaves (a proxy between them):
 * 409 on status writes, 500s on Deployment and Event writes, answers that come after the client's timeout (the API
 * server acted, the operator does not know), and watches dropped every 1.5 s. The operator keeps going; nothing is
 * created twice; every stage starts once; no status is lost.
 */
@Tag("apiserver")
class ApiServerFaultsReleaseTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static int run;

  private KubernetesClient direct;
  private ApiServerProxy proxy;
  private KubernetesClient operatorClient;
  private OperatorHarness harness;
  private ScheduledExecutorService dropper;
  private final ScriptedMetrics healthy = new ScriptedMetrics().otherwise(0.0);

  @BeforeEach
  void start() {
    direct = RealApiServer.client();
    proxy = new ApiServerProxy("operator", Config.fromKubeconfig(RealApiServer.kubeconfig()));
    operatorClient = proxy.client(Duration.ofSeconds(3));
    harness = new OperatorHarness(direct, "apifaults-" + (++run), OperatorSettings.forTests("http://unused")
        .withServerSideApply(true), healthy).withOperatorClient(operatorClient).start();
  }

  @AfterEach
  void stop() {
    if (dropper != null) {
      dropper.shutdownNow();
    }
    long t0 = System.nanoTime();
    if (harness != null) {
      harness.close();
    }
    long t1 = System.nanoTime();
    operatorClient.close();
    proxy.close();
    direct.close();
    System.out.printf("stopped: operator %d ms, clients and proxy %d ms%n", (t1 - t0) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
  }

  @Test
  @DisplayName("given 409s on status writes, 500s, answers after the client's timeout and dropped watches, when a revision rolls out, then it is promoted with every stage started once, each Deployment created once and the status complete")
  void rolloutSurvivesApiServerFaults() {
    String ns = harness.namespace();
    harness.apply(Releases.named("shop", ns).replicas(4).stage("canary-25", 25, "1s").stage("canary-50", 50, "1s")
        .stage("full", 100, "1s").errorRateCheck("500ms", 2, 0.01).build());
    harness.awaitPhase("shop", ReleasePhase.Promoted, WAIT);

    proxy.inject(ApiServerProxy.statusWrites(), new Fault.Answer(409), 3)
        .inject(ApiServerProxy.requests("/deployments", "POST", "PUT", "PATCH"), new Fault.Answer(500), 3)
        .inject(ApiServerProxy.requests("/events", "POST", "PATCH", "PUT"), new Fault.Answer(500), 2)
        .inject(ApiServerProxy.requests("/deployments", "POST"), new Fault.DelayAnswer(Duration.ofSeconds(4)), 1)
        .inject(ApiServerProxy.statusWrites(), new Fault.DelayAnswer(Duration.ofSeconds(4)), 1)
        .inject(ApiServerProxy.statusWrites(), new Fault.Answer(500), 2);
    dropper = Executors.newSingleThreadScheduledExecutor();
    dropper.scheduleAtFixedRate(proxy::dropWatches, 1500, 1500, TimeUnit.MILLISECONDS);

    Release v2 = harness.changeImage("shop", "example.com/shop:v2");
    String canary = RevisionHash.of(v2);
    Release promoted = harness.awaitStatus("shop", "promoted through the faults",
        r -> r.getStatus().getPhase() == ReleasePhase.Promoted && canary.equals(r.getStatus().getStableRevision()), WAIT);
    dropper.shutdownNow();

    List<ApiServerProxy.Exchange> record = proxy.record();
    System.out.printf("through the proxy: %d requests, %d faults answered, %d delayed, %d status writes accepted%n",
        record.size(), record.stream().filter(x -> "answer".equals(x.injected())).count(),
        record.stream().filter(x -> "delayed".equals(x.injected())).count(),
        record.stream().filter(x -> x.write() && x.accepted() && x.path().contains("/status")).count());
    assertThat(record).as("every injected fault was met")
        .filteredOn(x -> x.injected() != null).hasSizeGreaterThanOrEqualTo(3 + 3 + 2 + 1 + 1 + 2);

    // no status lost: the final status is the whole story, at the Release's generation
    assertThat(promoted.getStatus().getObservedGeneration()).isEqualTo(promoted.getMetadata().getGeneration());
    assertThat(promoted.getStatus().getCanaryRevision()).isNull();
    assertThat(promoted.getStatus().getFailedRevision()).isNull();
    assertThat(harness.replicasByRevision("shop")).containsEntry(canary, 4);
    harness.awaitEvents("shop", WAIT, "Promoted");
    List<String> reasons = harness.eventReasons("shop");
    assertThat(reasons).doesNotContain("RolledBack", "CheckFailed");
    // nothing done twice: each revision's Deployment created once (the canary's answer came too late for the client,
    // which tried again and was told it exists), each stage started once
    assertThat(proxy.acceptedWrites("/deployments").stream().filter(x -> x.method().equals("POST")))
        .as("Deployments created: v1 and v2, once each").hasSize(2);
    assertThat(Collections.frequency(reasons, "StageStarted")).as("StageStarted Events, v1 had none").isEqualTo(3);
    // no Event lost to the 500s either (they used to be dropped on the first refusal)
    assertThat(Collections.frequency(reasons, "StageCompleted")).as("StageCompleted Events").isEqualTo(3);
    assertThat(Collections.frequency(reasons, "Promoted")).as("Promoted Events (v1 had StableDeployed)").isEqualTo(1);
  }
}
