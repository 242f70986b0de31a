package dev.stagegate.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns the {@link FakeKubelet}'s per-Deployment readiness into "ready pods per revision" for the pods a Service
 * would select, so {@link RevisionMetricsApp#setTraffic} can split traffic the way the Service would.
 *
 * <pre>{@code
 * var app = RevisionMetricsApp.builder("shop").build();
 * var kubelet = FakeKubelet.builder(client)
 *     .onReadinessChange(new ReadyPodsByLabel(Map.of("app", "shop"), "revision", app::setTraffic))
 *     .build().start();
 * }</pre>
 */
public final class ReadyPodsByLabel implements Consumer<DeploymentReadiness> {
  private final Map<String, String> serviceSelector;
  private final String revisionLabel;
  private final Consumer<Map<String, Integer>> sink;
  private final Map<String, Map.Entry<String, Integer>> readyByDeployment = new HashMap<>();

  /**
   * @param serviceSelector labels a pod must carry to receive traffic (empty: every pod)
   * @param revisionLabel the pod label whose value names the revision
   * @param sink receives the whole revision → ready pods map after every change
   */
  public ReadyPodsByLabel(Map<String, String> serviceSelector, String revisionLabel,
      Consumer<Map<String, Integer>> sink) {
    this.serviceSelector = Map.copyOf(serviceSelector);
    this.revisionLabel = Objects.requireNonNull(revisionLabel);
    this.sink = Objects.requireNonNull(sink);
  }

  @Override
  public synchronized void accept(DeploymentReadiness r) {
    String deployment = r.namespace() + "/" + r.name();
    String revision = r.podLabels().get(revisionLabel);
    boolean selected = revision != null
        && serviceSelector.entrySet().stream().allMatch(e -> e.getValue().equals(r.podLabels().get(e.getKey())));
    if (selected && r.readyReplicas() > 0) {
      readyByDeployment.put(deployment, Map.entry(revision, r.readyReplicas()));
    } else if (readyByDeployment.remove(deployment) == null) {
      return;
    }
    sink.accept(readyPodsByRevision());
  }

  /** The current revision → ready pods map; revisions without a ready pod are absent. */
  public synchronized Map<String, Integer> readyPodsByRevision() {
    Map<String, Integer> byRevision = new TreeMap<>();
    readyByDeployment.values().forEach(e -> byRevision.merge(e.getKey(), e.getValue(), Integer::sum));
    return Map.copyOf(byRevision);
  }
}
