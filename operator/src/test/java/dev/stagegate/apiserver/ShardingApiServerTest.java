package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.StagegateOperator;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two operator installs, each owning a shard of Releases by label selector (`--resource-selector`), on a real
 * kube-apiserver: each promotes only its own Releases and never reconciles the other shard's.
 */
@Tag("apiserver")
class ShardingApiServerTest {
  private static final String NS = "shards";
  private static final String SHARD = "stagegate.dev/shard";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final ScriptedMetrics healthy = new ScriptedMetrics().otherwise(0.0);
  private KubernetesClient client;
  private OperatorHarness cluster;
  private StagegateOperator shardA;
  private StagegateOperator shardB;

  @BeforeEach
  void start() {
    client = RealApiServer.client();
    cluster = new OperatorHarness(client, NS, OperatorSettings.forTests("http://unused"), healthy).startCluster();
  }

  @AfterEach
  void stop() {
    for (StagegateOperator operator : new StagegateOperator[] {shardA, shardB}) {
      if (operator != null) {
        operator.close();
      }
    }
    client.resources(Release.class).inNamespace(NS).delete();
    cluster.close();
    client.close();
  }

  @Test
  @DisplayName("given two installs with selectors shard=a and shard=b and Releases in both shards, when only shard a's install runs, then only its Releases move; when shard b's starts, its Releases are promoted too, and neither install ever reconciled the other's")
  void eachInstallOwnsItsShard() {
    shardA = operator("a");
    for (String name : List.of("a1", "a2", "b1", "b2")) {
      Release release = Releases.named(name, NS).stage("canary", 50, "1s").stage("full", 100, "1s").build();
      release.getMetadata().setLabels(Map.of(SHARD, name.substring(0, 1)));
      cluster.apply(release);
    }

    cluster.awaitPhase("a1", ReleasePhase.Promoted, WAIT);
    cluster.awaitPhase("a2", ReleasePhase.Promoted, WAIT);
    assertThat(cluster.get("b1").getStatus()).as("shard b without its install").isNull();
    assertThat(cluster.get("b2").getStatus()).as("shard b without its install").isNull();

    shardB = operator("b");
    cluster.awaitPhase("b1", ReleasePhase.Promoted, WAIT);
    cluster.awaitPhase("b2", ReleasePhase.Promoted, WAIT);

    assertThat(reconciled(shardA)).contains("a1", "a2").doesNotContain("b1", "b2");
    assertThat(reconciled(shardB)).contains("b1", "b2").doesNotContain("a1", "a2");
  }

  private StagegateOperator operator(String shard) {
    OperatorSettings settings = OperatorSettings.forTests("http://unused").withServerSideApply(true)
        .withScale(new OperatorSettings.Scale(2, SHARD + "=" + shard, Duration.ofMinutes(5)));
    return new StagegateOperator(client, settings, Clock.systemUTC(), healthy).start();
  }

  /** Names of the Releases an install reconciled, from JOSDK's per-resource counters in its own registry. */
  private static List<String> reconciled(StagegateOperator operator) {
    return operator.registry().scrape().lines()
        .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total") && l.contains("kind=\"Release\""))
        .map(l -> l.replaceFirst(".*[{,]name=\"([^\"]*)\".*", "$1"))
        .distinct()
        .toList();
  }
}
