package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagegate.OperatorSettings;
import dev.stagegate.StagegateOperator;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.ApiServerProxy;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two operator replicas with leader election on the real kube-apiserver (and PostgreSQL), each reaching the API server
 * through a proxy of its own that records what the API server accepted from it. The leader is killed at seeded random
 * points during a rollout and during a migration: its connections are cut first (nothing more from it reaches the API
 * server, the Lease is not released), then it is stopped in-process; a fresh standby replaces it. From the API
 * server's record: exactly one instance writes at a time, and nothing is done twice.
 */
@Tag("apiserver")
@Tag("postgres")
class LeaderKillApiServerTest extends MigrationScenarioBase {
  private static final long SEED = Long.getLong("stagegate.ha.seed", 20261206L);
  private static final Duration LEASE = Duration.ofSeconds(4);
  /** Leader kills per scenario: one each in `make test`; more with -Dstagegate.ha.kills. */
  private static final int KILLS = Integer.getInteger("stagegate.ha.kills", 1);
  private static final String LEASE_NAMESPACE = "stagegate-system";
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();

  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final Map<String, Instant> killedAt = new LinkedHashMap<>();
  private String leaseName;
  private int started;

  private record Instance(String name, ApiServerProxy proxy, KubernetesClient client, StagegateOperator operator) {}

  @Override
  protected KubernetesClient client() {
    return apiServer.client();
  }

  @Override
  protected OperatorSettings settings() {
    return ApiServerTier.settings();
  }

  @BeforeEach
  void replicas() {
    harness.stopOperator();
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(LEASE_NAMESPACE).endMetadata()
        .build()).createOr(r -> r.update());
    leaseName = "ha-" + harness.namespace();
  }

  @AfterEach
  void stopReplicas() {
    for (Instance i : instances.values()) {
      if (!killedAt.containsKey(i.name())) {
        i.operator().close();
      }
      i.client().close();
      i.proxy().close();
    }
  }

  private Instance start(String name) {
    ApiServerProxy proxy = new ApiServerProxy(name, Config.fromKubeconfig(RealApiServer.kubeconfig()));
    KubernetesClient through = proxy.client(Duration.ofSeconds(5));
    OperatorSettings ha = new OperatorSettings("http://unused", null, Set.of(harness.namespace()), -1, true, leaseName,
        LEASE_NAMESPACE, LEASE, true, name);
    Instance instance = new Instance(name, proxy, through, new StagegateOperator(through, ha, Clock.systemUTC(), metrics)
        .start());
    instances.put(name, instance);
    return instance;
  }

  private String holder() {
    Lease lease = apiServer.client().leases().inNamespace(LEASE_NAMESPACE).withName(leaseName).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private String awaitLeader() {
    await("a leader").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      String h = holder();
      return h != null && instances.containsKey(h) && !killedAt.containsKey(h);
    });
    return holder();
  }

  /** Kills the leader as a crashed process would die, and starts a fresh standby in its place. */
  private void killLeaderAndReplace() {
    Instance leader = instances.get(awaitLeader());
    leader.proxy().cut();
    killedAt.put(leader.name(), Instant.now());
    Thread stop = new Thread(leader.operator()::close, "stop-killed-" + leader.name());
    stop.setDaemon(true);
    stop.start();
    // The standby already running takes over; the replacement starts after that, as a rescheduled pod would.
    // (Started before, its start-up in this same JVM held the standby's takeover back by about 35 s.)
    String next = awaitLeader();
    System.out.printf("killed leader %s; %s took over %d ms after the kill%n", leader.name(), next,
        Duration.between(killedAt.get(leader.name()), Instant.now()).toMillis());
    System.out.printf("standby %s started%n", start("r" + (++started)).name());
  }

  @Test
  @DisplayName("given two replicas, when the leader is killed at seeded random points during a rollout and a migration, then exactly one instance writes at a time, every stage starts once, each Deployment and Job is created once, and both finish")
  void killedLeadersRepeatNothing() throws Exception {
    Random random = new Random(SEED);
    System.out.println("leader kill seed " + SEED + " (-Dstagegate.ha.seed=... to replay another)");
    start("a");
    await().atMost(WAIT).until(() -> "a".equals(holder()));
    start("b");
    OperatorHarness releases = harness.releases();
    String ns = harness.namespace();

    // a rollout, its leader killed at random points (KILLS times)
    releases.apply(Releases.named("shop", ns).replicas(4).stage("canary-25", 25, "2s").stage("canary-50", 50, "2s")
        .stage("full", 100, "2s").errorRateCheck("500ms", 2, 0.01).build());
    releases.awaitPhase("shop", ReleasePhase.Promoted, WAIT);
    Release v2 = releases.changeImage("shop", "example.com/shop:v2");
    String canary = RevisionHash.of(v2);
    for (int kill = 0; kill < KILLS; kill++) {
      Thread.sleep(random.nextInt(3_000));
      killLeaderAndReplace();
    }
    releases.awaitStatus("shop", "v2 promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
        && canary.equals(r.getStatus().getStableRevision()), WAIT);

    // a migration, its leader killed at random points (KILLS times)
    harness.apply(members2025().stage("pilot", 1).stage("ramp", 10).stage("full", 100).build());
    for (int kill = 0; kill < KILLS; kill++) {
      Thread.sleep(random.nextInt(3_000));
      killLeaderAndReplace();
    }
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    releases.awaitEvents("shop", WAIT, "Promoted");

    // exactly one acts at a time: in the API server's record, each instance's accepted writes form one block
    List<Write> writes = new ArrayList<>();
    for (Instance i : instances.values()) {
      i.proxy().acceptedWrites("/namespaces/" + ns + "/").forEach(x -> writes.add(new Write(i.name(), x)));
    }
    writes.sort(Comparator.comparing(w -> w.exchange().at()));
    List<String> blocks = new ArrayList<>();
    for (Write w : writes) {
      if (blocks.isEmpty() || !blocks.get(blocks.size() - 1).equals(w.instance())) {
        blocks.add(w.instance());
      }
    }
    System.out.println("writers in order: " + blocks + " (" + writes.size() + " accepted writes)");
    assertThat(blocks).as("no instance writes again once another has written").doesNotHaveDuplicates();
    // A leader killed just after it took over may not have written yet (seen on a loaded CI machine); the kills
    // still have to land in the middle of work, so at least one killed leader must have written.
    assertThat(blocks).as("a killed leader wrote before its kill").containsAnyElementsOf(killedAt.keySet());
    for (Write w : writes) {
      Instant killed = killedAt.get(w.instance());
      assertThat(killed == null || !w.exchange().at().isAfter(killed)).as("nothing from %s after its kill", w.instance())
          .isTrue();
    }

    // nothing done twice
    List<String> reasons = releases.eventReasons("shop");
    // At most once: an Event still being written when its instance is killed is lost (the status it follows is
    // not); a stage started twice would show here as a fourth.
    assertThat(Collections.frequency(reasons, "StageStarted")).as("no stage started twice").isBetween(1, 3);
    assertThat(reasons).doesNotContain("RolledBack");
    assertThat(writes.stream().filter(w -> w.exchange().method().equals("POST")
        && w.exchange().path().endsWith("/deployments"))).as("Deployments created (v1, v2)").hasSize(2);
    assertThat(writes.stream().filter(w -> w.exchange().method().equals("POST")
        && w.exchange().path().endsWith("/jobs"))).as("Jobs created, one per stage").hasSize(3);
    assertThat(harness.jobRuns()).containsOnlyKeys(NAME + "-pilot-load", NAME + "-ramp-load", NAME + "-full-load")
        .allSatisfy((job, runs) -> assertThat(runs).as(job).isEqualTo(1));
    assertThat(harness.eventReasons(NAME)).doesNotContain("RolledBack", "VerifyFailed");
  }

  @Test
  @DisplayName("given two replicas, when the leader stops gracefully, then it hands the Lease back and the standby leads within a retry period, not a lease duration")
  void gracefulStopHandsTheLeaseOver() {
    Instance a = start("a");
    await().atMost(WAIT).until(() -> "a".equals(holder()));
    start("b");
    Instant stopping = Instant.now();
    a.operator().close();
    killedAt.put("a", stopping);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> "b".equals(holder()));
    Duration handover = Duration.between(stopping, Instant.now());
    System.out.printf("graceful handover in %d ms (lease %d ms, retry period %d ms)%n", handover.toMillis(),
        LEASE.toMillis(), LEASE.dividedBy(5).toMillis());
    // Without the handback the standby waits for the lease to expire: at least one lease duration.
    assertThat(handover).isLessThan(LEASE.dividedBy(2));
  }

  private record Write(String instance, ApiServerProxy.Exchange exchange) {}
}
