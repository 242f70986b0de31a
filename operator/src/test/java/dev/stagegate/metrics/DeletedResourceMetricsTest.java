package dev.stagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Through the real operator on the mock API server: deleting a resource removes its series from /metrics. */
@EnableKubernetesMockClient(crud = true)
class DeletedResourceMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static KubernetesClient client;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = new OperatorHarness(client, "shop", OperatorSettings.forTests("http://unused"), new ScriptedMetrics())
        .start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  @DisplayName("given two Releases with series on /metrics, when one is deleted, then its series go and the other's stay")
  void deletedReleaseLeavesMetrics() {
    harness.apply(Releases.named("checkout", "shop").stage("full", 100, "1s").errorRateCheck("1s", 1, 0.01).build());
    harness.apply(Releases.named("cart", "shop").stage("full", 100, "1s").build());
    harness.awaitPhase("checkout", ReleasePhase.Promoted, WAIT);
    harness.awaitPhase("cart", ReleasePhase.Promoted, WAIT);
    await().atMost(WAIT).until(() -> scrape().contains("stagegate_check_threshold{") && series("checkout") > 0);
    long cartSeries = series("cart");

    client.resources(Release.class).inNamespace("shop").withName("checkout").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(series("checkout")).isZero());
    assertThat(series("cart")).isEqualTo(cartSeries).isPositive();
  }

  @Test
  @DisplayName("given a DataMigration with series on /metrics, when it is deleted, then its series go")
  void deletedMigrationLeavesMetrics() {
    // No Secrets exist: it stops at its preflight, which is enough to have a phase series.
    client.resources(DataMigration.class).inNamespace("shop")
        .resource(DataMigrations.members2025("shop").build()).create();
    await().atMost(WAIT).until(() -> scrape().contains("stagegate_migration_phase{name=\"members-2025\""));

    client.resources(DataMigration.class).inNamespace("shop").withName("members-2025").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(series("members-2025")).isZero());
  }

  private String scrape() {
    return harness.operator().registry().scrape();
  }

  /** Stagegate's own series of one resource (JOSDK's per-resource ones are JOSDK's to remove). */
  private long series(String name) {
    return scrape().lines().filter(l -> l.startsWith("stagegate_") && l.matches(".*[{,]name=\"" + name + "\".*")).count();
  }
}
