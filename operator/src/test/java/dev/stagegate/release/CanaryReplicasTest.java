package dev.stagegate.release;

import dev.stagegate.release.plan.CanaryReplicas;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.Stage;
import io.fabric8.kubernetes.api.model.IntOrString;
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

  @ParameterizedTest(name = "replicas {0}, weight {1}%, maxSurge {2} pods -> canary {3}, stable {4}")
  @CsvSource({
      "10, 10, 10,  1, 10",   // room to spare: the stable revision stays at full size
      "10, 50, 10, 10, 10",   // exactly the surge
      "10, 75, 10, 15,  5",   // 30 canary pods would be needed: 20 in all, split 75/25
      "10, 90, 10, 18,  2",
      "10, 99, 10, 19,  1",   // at least one stable pod below 100%
      "10, 90,  3, 12,  1",
      "10, 20,  1,  2,  9",   // three canary pods would be needed: 11 in all
      "10, 50,  1,  6,  5",   // the smallest surge: 11 pods in all
      " 1, 90,  1,  1,  1",   // one replica: one pod each, the closest a pair can get
      "10, 90,  0, 10,  1",   // a surge below one pod counts as one
  })
  @DisplayName("given maxSurge, when a weight needs more extra pods than it allows, then replicas + maxSurge pods are split by the weight")
  void splitWithSurge(int replicas, int weight, int surge, int canary, int stable) {
    assertThat(CanaryReplicas.split(replicas, weight, surge)).isEqualTo(new CanaryReplicas.Split(canary, stable));
  }

  @Test
  @DisplayName("given any size, weight and surge, then a split never exceeds replicas + surge pods (when capped), keeps one pod of each, and its share is within one pod of the weight")
  void splitInvariants() {
    for (int replicas = 1; replicas <= 30; replicas++) {
      for (int surge = 1; surge <= 2 * replicas; surge++) {
        for (int weight = 1; weight < 100; weight++) {
          CanaryReplicas.Split split = CanaryReplicas.split(replicas, weight, surge);
          String at = "replicas " + replicas + " surge " + surge + " weight " + weight;
          assertThat(split.canary()).as(at).isGreaterThanOrEqualTo(1);
          assertThat(split.stable()).as(at).isBetween(1, replicas);
          if (split.stable() < replicas) {
            assertThat(split.canary() + split.stable()).as(at).isEqualTo(replicas + surge);
          } else {
            assertThat(split.canary()).as(at).isLessThanOrEqualTo(Math.max(1, surge));
          }
          double share = split.canary() / (double) (split.canary() + split.stable());
          double onePod = 1.0 / (split.canary() + split.stable());
          if (replicas + surge > 2) {
            assertThat(Math.abs(share - weight / 100.0)).as(at).isLessThanOrEqualTo(onePod);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "maxSurge {0} of {1} replicas -> {2} pods")
  @CsvSource({"'', 10, 10", "25%, 10, 3", "100%, 7, 7", "1%, 10, 1", "5, 10, 5"})
  @DisplayName("given maxSurge as a percentage or a number, then it counts pods, rounding a percentage up as a Deployment does")
  void surgePods(String maxSurge, int replicas, int pods) {
    IntOrString value = maxSurge.isEmpty() ? null
        : maxSurge.endsWith("%") ? new IntOrString(maxSurge) : new IntOrString(Integer.parseInt(maxSurge));
    assertThat(CanaryReplicas.surgePods(value, replicas)).isEqualTo(pods);
  }

  @Test
  @DisplayName("given a capped stage, when canary pods become ready one by one, then the stable revision shrinks only as they do, never below its split")
  void stableShrinksAsCanaryPodsBecomeReady() {
    CanaryReplicas.Split split = CanaryReplicas.split(10, 90, 10);
    assertThat(CanaryReplicas.stableDuringStage(split, 10, 10)).isEqualTo(10);
    assertThat(CanaryReplicas.stableDuringStage(split, 10, 14)).isEqualTo(6);
    assertThat(CanaryReplicas.stableDuringStage(split, 10, 18)).isEqualTo(2);
    assertThat(CanaryReplicas.stableDuringStage(split, 10, 0)).isEqualTo(10);
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
  @DisplayName("given 10 replicas, when a canary walks 10%, 50% and 100%, then the Deployments get 1+10, 10+10 and then 10+0 pods, and status reports the actual share")
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
    assertThat(s.ready(canary)).isEqualTo(10);
    assertThat(s.replicas(stable)).as("canary already ready at full size: stable scales to zero").isZero();
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
