package dev.stagegate.sandbox;

import java.util.Map;

/**
 * How many of a Deployment's pods are ready, as the {@link FakeKubelet} just made them; {@code readyReplicas} is 0
 * once the Deployment is deleted.
 *
 * @param podLabels the pod template's labels: what a Service selects on, so traffic can be split like a Service would
 */
public record DeploymentReadiness(
    String namespace, String name, Map<String, String> podLabels, int readyReplicas, int desiredReplicas) {

  public DeploymentReadiness {
    podLabels = Map.copyOf(podLabels);
  }
}
