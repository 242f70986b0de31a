package dev.stagegate.release.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Release's /scale subresource as a HorizontalPodAutoscaler reads it: {@code status.replicas} and
 * {@code status.selector}. The HPA writes {@code spec.replicas}; every turn sizes both revisions from that value
 * (stable and canary by the stage weight, or the canary by the route's pod count), so a scale change applies at
 * once and the stable revision returns to it by itself after a rollback.
 */
final class ScaleStatus {
  /** The label every pod of a Release carries (set on the pod template by {@code ReleaseWorkload}). */
  static final String RELEASE_LABEL = "stagegate.dev/release";

  private ScaleStatus() {}

  static void finish(ReleaseDraft d) {
    // Ready pods of every revision the Release still runs: the pods the HPA averages its metrics over.
    d.next.setReplicas(d.obs.deployments().values().stream().mapToInt(DeploymentState::readyReplicas).sum());
    d.next.setSelector(selector(d.spec.getSelector(), d.release.getMetadata().getName()));
  }

  /**
   * spec.selector's matchLabels narrowed to this Release's pods, in the API server's label selector syntax sorted by
   * key, so the same spec always gives the same string. (matchExpressions are refused by {@code ReleaseValidator}.)
   */
  static String selector(LabelSelector selector, String release) {
    Map<String, String> labels = new TreeMap<>();
    if (selector != null && selector.getMatchLabels() != null) {
      labels.putAll(selector.getMatchLabels());
    }
    labels.put(RELEASE_LABEL, release);
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
