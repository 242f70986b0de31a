package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** `stagegate_notifications_total{type, outcome}`: sends by receiver type. Never a URL or target label. */
public final class NotifyMetrics {
  private final MeterRegistry registry;

  public NotifyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void sent(NotifyType type, boolean delivered) {
    if (registry == null) {
      return;
    }
    Counter.builder("stagegate.notifications")
        .description("Notification sends by receiver type: delivered (2xx) or failed (retried with backoff)")
        .tag("type", type.name())
        .tag("outcome", delivered ? "delivered" : "failed")
        .register(registry)
        .increment();
  }
}
