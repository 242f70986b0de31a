package dev.stagegate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;

/** Removes every meter of the given names that carries one resource's namespace and name tags. */
final class ResourceMeters {
  private ResourceMeters() {}

  static void remove(MeterRegistry registry, Set<String> names, String namespace, String name) {
    List<Meter> owned = registry.getMeters().stream()
        .filter(m -> names.contains(m.getId().getName()))
        .filter(m -> namespace.equals(m.getId().getTag("namespace")) && name.equals(m.getId().getTag("name")))
        .toList();
    owned.forEach(registry::remove);
  }
}
