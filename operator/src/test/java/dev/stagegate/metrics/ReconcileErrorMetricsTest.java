package dev.stagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Release;
import dev.stagegate.testing.Releases;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReconcileErrorMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReconcileErrorMetrics metrics = new ReconcileErrorMetrics(registry);
  private final Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").build();

  @Test
  @DisplayName("given a resource's first reconcile, then its error counter exists at zero, so the first failure is an increase Prometheus can see")
  void startsAtZeroAndCountsEveryFailure() {
    metrics.reconcileCustomResource(release, null, Map.of());
    assertThat(count()).isZero();

    metrics.failedReconciliation(release, new IllegalStateException("refused"), Map.of());
    metrics.failedReconciliation(release, new IllegalStateException("refused"), Map.of());

    assertThat(count()).isEqualTo(2);
  }

  @Test
  @DisplayName("given a deleted resource, then its error counter is removed")
  void removedOnDelete() {
    metrics.reconcileCustomResource(release, null, Map.of());

    metrics.cleanupDoneFor(new ResourceID("checkout", "shop"),
        Map.of(Constants.RESOURCE_GVK_KEY, new GroupVersionKind("stagegate.dev", "v1alpha1", "Release")));

    assertThat(registry.find(ReconcileErrorMetrics.NAME).counter()).isNull();
  }

  private double count() {
    return registry.get(ReconcileErrorMetrics.NAME).tags("kind", "Release", "namespace", "shop", "name", "checkout")
        .counter().count();
  }
}
