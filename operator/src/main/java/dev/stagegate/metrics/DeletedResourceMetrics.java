package dev.stagegate.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * Drops a deleted Release's or DataMigration's series. JOSDK reports every delete event here, finalizer
 * or not, so a dashboard's pickers and the phase alerts stop showing resources that no longer exist.
 */
public final class DeletedResourceMetrics implements Metrics {
  private final ReleaseMetrics releases;
  private final MigrationMetrics migrations;

  public DeletedResourceMetrics(ReleaseMetrics releases, MigrationMetrics migrations) {
    this.releases = releases;
    this.migrations = migrations;
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    String namespace = resourceID.getNamespace().orElse("");
    if (!(metadata.get(Constants.RESOURCE_GVK_KEY) instanceof GroupVersionKind gvk)) {
      return;
    }
    switch (gvk.getKind()) {
      case "Release" -> releases.forget(namespace, resourceID.getName());
      case "DataMigration" -> migrations.forget(namespace, resourceID.getName());
      default -> { }
    }
  }
}
