package dev.stagegate.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * `stagegate_reconcile_errors_total{kind,namespace,name}`: failed reconciles per resource, at zero from the
 * resource's first reconcile. JOSDK's own failure counter appears only at the first failure, already at 1, so
 * `rate()` and `increase()` cannot see that failure; this one they can. Removed when the resource is deleted.
 */
public final class ReconcileErrorMetrics implements Metrics {
  static final String NAME = "stagegate.reconcile.errors";
  private final MeterRegistry registry;

  public ReconcileErrorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    counter(resource.getKind(), resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    counter(resource.getKind(), resource.getMetadata().getNamespace(), resource.getMetadata().getName()).increment();
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    if (metadata.get(Constants.RESOURCE_GVK_KEY) instanceof GroupVersionKind gvk) {
      Counter counter = registry.find(NAME).tags("kind", gvk.getKind(),
          "namespace", resourceID.getNamespace().orElse(""), "name", resourceID.getName()).counter();
      if (counter != null) {
        registry.remove(counter);
      }
    }
  }

  private Counter counter(String kind, String namespace, String name) {
    return Counter.builder(NAME).description("Reconciles that threw, per resource")
        .tags("kind", kind, "namespace", namespace == null ? "" : namespace, "name", name).register(registry);
  }
}
