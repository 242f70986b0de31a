package dev.stagegate.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * One refusal policy for both resources: which API server answers are permanent (the change can never
 * succeed as written) and which are retried.
 */
public final class Refusals {
  private Refusals() {
  }

  public static Optional<String> finalReason(KubernetesClientException e) {
    return e.getCode() != 422 && e.getCode() != 400
      ? Optional.empty()
      : Optional.of(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
  }
}
