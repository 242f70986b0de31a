package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.ReleasePhase;
import dev.stagegate.api.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanaryReplicasTest {

  @ParameterizedTest(name = "stable {0}, weight {1}% -> {2} canary pods, actual {3}%")
  @CsvSource({
      "10, 10,  1,  9",
      "10, 20,  3, 23",
      "10, 25,  3, 23",
      "10, 50, 10, 50",
      "10, 75, 30, 75",
      " 3, 10,  1, 25",
      " 3, 50,  3, 50",
      " 1, 10,  1, 50",
      " 1, 50,  1, 50",
      " 1, 60,  2, 67",
      " 4, 20,  1, 20",
      "100, 1,  1,  1",
  })
  @DisplayName("given the stable revision at full size, when a stage asks for a weight, then the canary gets the whole number of pods whose share is closest")
  void replicaTable(int stable, int weight, int canary, int actual) {
    assertThat(CanaryReplicas.forWeight(stable, weight)).isEqualTo(canary);
    assertThat(CanaryReplicas.actualWeight(canary, stable)).isEqualTo(actual);
  }

  @Test
  @DisplayName("given any size from 1 to 60 and any weight from 1 to 99, when replicas are computed, then no other whole number of pods (at least one) is closer to the weight")
  void closestWholePodCount() {
    for (int stable = 1; stable <= 60; stable++) {
      for (int weight = 1; weight < 100; weight++) {
        int canary = CanaryReplicas.forWeight(stable, weight);
        double error = Math.abs(share(canary, stable) - weight / 100.0);
        assertThat(canary).as("stable %d weight %d", stable, weight).isGreaterThanOrEqualTo(1);
        if (canary > 1) {
          assertThat(Math.abs(share(canary - 1, stable) - weight / 100.0))
              .as("one pod fewer, stable %d weight %d", stable, weight).isGreaterThanOrEqualTo(error);
        }
        assertThat(Math.abs(share(canary + 1, stable) - weight / 100.0))
            .as("one pod more, stable %d weight %d", stable, weight).isGreaterThanOrEqualTo(error);
      }
    }
  }

  @Test
  @DisplayName("given weight 100 the canary matches the stable size, and given no ready pods the actual weight is 0")
  void edges() {
    assertThat(CanaryReplicas.forWeight(10, 100)).isEqualTo(10);
    assertThat(CanaryReplicas.forWeight(1, 100)).isEqualTo(1);
    assertThat(CanaryReplicas.actualWeight(0, 0)).isZero();
    assertThat(CanaryReplicas.actualWeight(10, 0)).isEqualTo(100);
    assertThat(CanaryReplicas.actualWeight(0, 10)).isZero();
  }

  @Test
  @DisplayName("given 10 replicas, when a canary walks 10%, 50% and 100%, then the Deployments get 1+10, 10+10, 10+10 and then 10+0 pods, and status reports the actual share")
  void plannerAppliesTheTableForTen() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate("registry.example/web:2.0");

    s.turn();
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.status().getRequestedWeight()).isEqualTo(10);
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.status().getActualWeight()).as("1 of 11 ready pods").isEqualTo(9);

    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    assertThat(s.replicas(canary)).isEqualTo(10);
    assertThat(s.replicas(stable)).isEqualTo(10);
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.status().getActualWeight()).isEqualTo(50);

    s.runUntil(x -> x.inStage("full"), Duration.ofMinutes(5));
    assertThat(s.replicas(canary)).isEqualTo(10);
    assertThat(s.replicas(stable)).as("stable stays until the canary is ready").isEqualTo(10);
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.ready(canary)).isEqualTo(10);
    assertThat(s.replicas(stable)).as("canary ready at full size: stable scales to zero").isZero();
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.status().getActualWeight()).isEqualTo(100);
  }

  @Test
  @DisplayName("given 3 replicas, when the 10% stage starts, then the canary gets 1 pod and the actual weight is 25%")
  void plannerForThree() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.setReplicas(3));
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.replicas(stable)).isEqualTo(3);
    assertThat(s.status().getRequestedWeight()).isEqualTo(10);
    assertThat(s.status().getActualWeight()).isEqualTo(25);
  }

  @Test
  @DisplayName("given 1 replica, when a canary goes through 10% and 100%, then it runs 1 pod beside 1 stable pod (50%) and is promoted with the old pod gone")
  void plannerForOne() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> {
      spec.setReplicas(1);
      spec.setStages(new ArrayList<>(List.of(new Stage("canary-10", 10, "1m", null), new Stage("full", 100, null, null))));
    });
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.replicas(stable)).isEqualTo(1);
    assertThat(s.status().getActualWeight()).isEqualTo(50);

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(5));
    s.turnAfter(ReleaseScenario.STEP);
    assertThat(s.status().getStableRevision()).isEqualTo(canary);
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.exists(stable)).isFalse();
  }

  private static double share(int canary, int stable) {
    return canary / (double) (canary + stable);
  }
}
