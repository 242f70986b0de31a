package dev.stagegate.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Found Secrets by namespace/name for a fixed time, least recently used dropped beyond a size. */
final class SecretCache {
  private record Entry(SecretValues.Annotated secret, Instant until) {
  }

  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Entry> entries;

  SecretCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  synchronized Optional<SecretValues.Annotated> get(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.until())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(e.secret());
  }

  synchronized void put(String key, SecretValues.Annotated secret) {
    entries.put(key, new Entry(secret, clock.instant().plus(ttl)));
  }

  synchronized void forget(String key) {
    entries.remove(key);
  }
}
