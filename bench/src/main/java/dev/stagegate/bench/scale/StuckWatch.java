package dev.stagegate.bench.scale;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which resources made no status progress for longer than a limit. Progress is any change of what the soak
 * reads as a resource's position (phase, stage, observed generation); a resource in a final phase is waiting
 * for the soak, and one paused for a reason the operator names (held without evidence during a Prometheus
 * fault, a failed check with onFailure: Pause) is waiting on purpose: neither is stuck.
 */
final class StuckWatch {
  private final long limitSeconds;
  private final Map<String, Seen> seen = new HashMap<>();

  private record Seen(String position, long sinceSecond) {}

  StuckWatch(long limitSeconds) {
    this.limitSeconds = limitSeconds;
  }

  /** {@code waiting}: final, or paused for a known reason. */
  void observe(String resource, String position, boolean waiting, long nowSecond) {
    Seen before = seen.get(resource);
    if (waiting || before == null || !before.position().equals(position)) {
      seen.put(resource, new Seen(waiting ? "waiting" : position, nowSecond));
    }
  }

  /** A resource that is gone (a finished migration cycle deleted) is forgotten. */
  void forget(String resource) {
    seen.remove(resource);
  }

  Set<String> stuck(long nowSecond) {
    Set<String> stuck = new TreeSet<>();
    seen.forEach((resource, s) -> {
      if (!s.position().equals("waiting") && nowSecond - s.sinceSecond() > limitSeconds) {
        stuck.add(resource);
      }
    });
    return stuck;
  }
}
