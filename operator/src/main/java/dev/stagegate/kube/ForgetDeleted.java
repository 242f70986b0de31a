package dev.stagegate.kube;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells the parts that remember something per resource (refusals, reported errors, background work) that a
 * resource is gone, so that nothing grows with every resource ever created and a re-created resource of the
 * same name starts clean. JOSDK reports every delete event to its Metrics, finalizer or not; that is the hook.
 */
public final class ForgetDeleted implements Metrics {
  private final Map<String, List<Consumer<ResourceID>>> byKind = new ConcurrentHashMap<>();

  public void register(String kind, Consumer<ResourceID> forget) {
    byKind.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(forget);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    if (metadata.get(Constants.RESOURCE_GVK_KEY) instanceof GroupVersionKind gvk) {
      byKind.getOrDefault(gvk.getKind(), List.of()).forEach(f -> f.accept(resourceID));
    }
  }
}
