package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadyPodsByLabelTest {
  private final List<Map<String, Integer>> published = new ArrayList<>();
  private final ReadyPodsByLabel byRevision = new ReadyPodsByLabel(Map.of("app", "web"), "revision", published::add);

  @Test
  @DisplayName("Ready pods of two Deployments of the same revision add up; another app's pods are not selected")
  void sumsPerRevisionForSelectedPods() {
    byRevision.accept(ready("web-v1-a", "web", "v1", 2));
    byRevision.accept(ready("web-v1-b", "web", "v1", 1));
    byRevision.accept(ready("web-v2", "web", "v2", 1));
    byRevision.accept(ready("db-v9", "db", "v9", 5));

    assertThat(byRevision.readyPodsByRevision()).isEqualTo(Map.of("v1", 3, "v2", 1));
    assertThat(published).hasSize(3).last().isEqualTo(Map.of("v1", 3, "v2", 1));
  }

  @Test
  @DisplayName("When a revision's pods all stop being ready, then it leaves the map")
  void revisionLeavesWhenNotReady() {
    byRevision.accept(ready("web-v1", "web", "v1", 3));
    byRevision.accept(ready("web-v2", "web", "v2", 1));

    byRevision.accept(ready("web-v2", "web", "v2", 0));

    assertThat(published).last().isEqualTo(Map.of("v1", 3));
  }

  private static DeploymentReadiness ready(String name, String app, String revision, int ready) {
    return new DeploymentReadiness("ns", name, Map.of("app", app, "revision", revision), ready, ready);
  }
}
