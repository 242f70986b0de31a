package dev.stagegate.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/** The values substituted into a check's queries for one Release. */
public record QueryContext(String name, String namespace, String canaryRevision, String stableRevision) {

  /** Variables for querying {@code revision} (the canary's, or the stable's for a baseline). */
  public Map<String, String> forRevision(String revision) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("revision", revision);
    values.put("stableRevision", stableRevision);
    values.put("canaryRevision", canaryRevision);
    values.put("name", name);
    values.put("namespace", namespace);
    return values;
  }
}
