package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes the status subresource the way a controller does: read the newest object, compute the next status from it,
 * PUT it with that resourceVersion, and start over on 409.
 *
 * <p>A real API server rejects a status PUT whose resourceVersion is stale, and the operator under test writes the
 * same objects concurrently; the Fabric8 CRUD mock accepts stale writes, so this loop is what keeps both honest.
 */
final class StatusWrites {
  private static final int MAX_ATTEMPTS = 10;

  private StatusWrites() {}

  /**
   * @param withNextStatus changes the freshly read object's status in place and returns it, or returns null when
   *     the status is already right (no write)
   * @return the object as written, or empty when it is gone (deleted, or replaced by one with another uid) or
   *     when nothing needed writing
   */
  static <T extends HasMetadata> Optional<T> update(
      KubernetesClient client, Class<T> type, String namespace, String name, String uid,
      UnaryOperator<T> withNextStatus) {
    for (int attempt = 1; ; attempt++) {
      T latest = client.resources(type).inNamespace(namespace).withName(name).get();
      if (latest == null || !Objects.equals(uid, latest.getMetadata().getUid())) {
        return Optional.empty();
      }
      T next = withNextStatus.apply(latest);
      if (next == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(client.resource(next).updateStatus());
      } catch (KubernetesClientException e) {
        boolean conflict = e.getCode() == HttpURLConnection.HTTP_CONFLICT;
        boolean gone = e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
        if (gone) {
          return Optional.empty();
        }
        if (!conflict || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
