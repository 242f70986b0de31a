package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Secret's values by name, `get` only: the operator never lists or watches Secrets. The reconcilers'
 * instance ({@link #cached}) keeps a Secret it found for a short while, so a DataMigration reconciled every few
 * seconds does not GET its two Secrets every time; a missing Secret is never kept (it is looked for again next
 * turn) and {@link #forget} drops one whose content a caller found unusable, so a fix is seen at once.
 */
public final class SecretValues {
  /** How long a found Secret is reused: a rotated value is in use within this long. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** Secrets kept at most (least recently used go first). */
  public static final int DEFAULT_ENTRIES = 10_000;
  private final KubernetesClient client;
  private final SecretCache cache;

  public SecretValues(KubernetesClient client) {
    this(client, null);
  }

  private SecretValues(KubernetesClient client, SecretCache cache) {
    this.client = client;
    this.cache = cache;
  }

  /** Found Secrets reused for {@code ttl} on {@code clock}; at most {@code entries} kept. */
  public static SecretValues cached(KubernetesClient client, Clock clock, Duration ttl, int entries) {
    return new SecretValues(client, new SecretCache(clock, ttl, entries));
  }

  public static SecretValues cached(KubernetesClient client) {
    return cached(client, Clock.systemUTC(), DEFAULT_TTL, DEFAULT_ENTRIES);
  }

  /** The next read of this Secret asks the API server. */
  public void forget(String namespace, String name) {
    if (cache != null) {
      cache.forget(namespace + "/" + name);
    }
  }

  /** Empty when the Secret does not exist. Values are decoded; callers must never log them. */
  public Optional<Map<String, String>> read(String namespace, String name) {
    return readAnnotated(namespace, name).map(Annotated::values);
  }

  /** The values with the Secret's annotations (which say what the values are for). */
  public Optional<Annotated> readAnnotated(String namespace, String name) {
    if (cache == null) {
      return fetch(namespace, name);
    }
    String key = namespace + "/" + name;
    Optional<Annotated> kept = cache.get(key);
    if (kept.isPresent()) {
      return kept;
    }
    Optional<Annotated> read = fetch(namespace, name);
    read.ifPresent(a -> cache.put(key, a));
    return read;
  }

  private Optional<Annotated> fetch(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
        : Map.copyOf(secret.getMetadata().getAnnotations());
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k,
          new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return Optional.of(new Annotated(java.util.Collections.unmodifiableMap(values), annotations));
  }

  public record Annotated(Map<String, String> values, Map<String, String> annotations) {
  }
}
