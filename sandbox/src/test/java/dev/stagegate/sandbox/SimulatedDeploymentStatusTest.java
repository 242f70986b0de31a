package dev.stagegate.sandbox;

import static dev.stagegate.sandbox.Deployments.revision;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SimulatedDeploymentStatusTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.600Z");

  @Test
  @DisplayName("Given 4 replicas and the default 25% maxUnavailable, when 3 are ready, then the Deployment is still Available")
  void defaultMaxUnavailable() {
    Deployment d = revision("ns", "web", "v1", 4);

    DeploymentStatus s = SimulatedDeploymentStatus.next(d, 3, false, T0);

    assertThat(condition(s, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Progressing").getReason()).isEqualTo("ReplicaSetUpdated");
    assertThat(s.getUnavailableReplicas()).isEqualTo(1);
  }

  @Test
  @DisplayName("Given a Recreate strategy, when one of 4 replicas is not ready, then the Deployment is not Available")
  void recreateToleratesNone() {
    Deployment d = revision("ns", "web", "v1", 4);
    d.getSpec().setStrategy(new DeploymentStrategyBuilder().withType("Recreate").build());

    assertThat(condition(SimulatedDeploymentStatus.next(d, 3, false, T0), "Available").getStatus()).isEqualTo("False");
  }

  @Test
  @DisplayName("maxUnavailable as a number or percentage is read the way the controller reads it (percent rounded down)")
  void maxUnavailableForms() {
    Deployment d = revision("ns", "web", "v1", 10);
    d.getSpec().setStrategy(new DeploymentStrategyBuilder().withType("RollingUpdate")
        .withNewRollingUpdate().withMaxUnavailable(new IntOrString("35%")).endRollingUpdate().build());
    assertThat(SimulatedDeploymentStatus.maxUnavailable(d, 10)).isEqualTo(3);
    d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(2));
    assertThat(SimulatedDeploymentStatus.maxUnavailable(d, 10)).isEqualTo(2);
  }

  @Test
  @DisplayName("Ready, available and updated never exceed replicas and available never exceeds ready, as kube-apiserver validates")
  void staysWithinApiServerValidation() {
    Deployment d = revision("ns", "web", "v1", 2);

    DeploymentStatus s = SimulatedDeploymentStatus.next(d, 7, false, T0);

    assertThat(s.getReadyReplicas()).isEqualTo(2).isLessThanOrEqualTo(s.getReplicas());
    assertThat(s.getAvailableReplicas()).isLessThanOrEqualTo(s.getReadyReplicas());
    assertThat(s.getUpdatedReplicas()).isLessThanOrEqualTo(s.getReplicas());
  }

  @Test
  @DisplayName("Given an earlier status with the same conditions, then their timestamps are kept and the statuses compare equal")
  void timestampsKeptWhenNothingChanged() {
    Deployment d = revision("ns", "web", "v1", 2);
    d.setStatus(SimulatedDeploymentStatus.next(d, 2, false, T0));

    DeploymentStatus later = SimulatedDeploymentStatus.next(d, 2, false, T0.plusSeconds(30));

    assertThat(condition(later, "Available").getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(SimulatedDeploymentStatus.sameIgnoringTimestamps(d.getStatus(), later)).isTrue();
  }

  @Test
  @DisplayName("Given a status read back from a real API server, which leaves out zero counts, then it still equals the status written")
  void absentCountEqualsZero() {
    Deployment d = revision("ns", "web", "v1", 2);
    DeploymentStatus written = SimulatedDeploymentStatus.next(d, 0, false, T0);
    d.setStatus(written);
    DeploymentStatus readBack = SimulatedDeploymentStatus.next(d, 0, false, T0);
    readBack.setReadyReplicas(null);
    readBack.setAvailableReplicas(null);

    assertThat(SimulatedDeploymentStatus.sameIgnoringTimestamps(written, readBack)).isTrue();
  }

  @Test
  @DisplayName("Given a Deployment that was Available, when its pods go down, then the Available transition time moves")
  void transitionTimeMovesOnChange() {
    Deployment d = revision("ns", "web", "v1", 2);
    d.setStatus(SimulatedDeploymentStatus.next(d, 2, false, T0));

    DeploymentStatus down = SimulatedDeploymentStatus.next(d, 0, true, T0.plusSeconds(30));

    assertThat(condition(down, "Available").getLastTransitionTime()).isEqualTo("2026-01-01T10:00:30Z");
    assertThat(condition(down, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(SimulatedDeploymentStatus.sameIgnoringTimestamps(d.getStatus(), down)).isFalse();
  }

  private static DeploymentCondition condition(DeploymentStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
