package dev.stagegate.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The steps a cluster-tier scenario takes with one kind of resource, the same for a Release and a
 * DataMigration and for the mock and the real API server: apply, act on it, and wait for a described state.
 * A wait that times out says what it waited for and the last status it saw, not just "condition not met".
 */
public interface ResourceSteps<R extends HasMetadata> {
  KubernetesClient client();

  String namespace();

  R apply(R resource);

  /** The resource as the API server holds it now, or null. */
  R get(String name);

  /** Sets the `stagegate.dev/action` annotation, as a person or the kubectl plugin would. */
  void annotate(String name, String action);

  R edit(String name, UnaryOperator<R> change);

  /** Waits until the resource's status satisfies {@code condition}, described for the failure message. */
  default R awaitStatus(String name, String description, Predicate<R> condition, Duration timeout) {
    AtomicReference<R> last = new AtomicReference<>();
    try {
      await(description).atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        R seen = get(name);
        last.set(seen);
        return seen != null && status(seen) != null && condition.test(seen);
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("waited " + timeout.toSeconds() + " s for " + name + ": " + description
          + "; last status seen: " + shown(last.get()), e);
    }
    return get(name);
  }

  default R awaitStatus(String name, Predicate<R> condition, Duration timeout) {
    return awaitStatus(name, "the awaited status", condition, timeout);
  }

  /** Event reasons about the resource, oldest first. */
  List<String> eventReasons(String name);

  /**
   * Event reasons once all of {@code reasons} are among them: Events are recorded after the status write that
   * a test awaits, so reading them at once can miss the newest.
   */
  default List<String> awaitEvents(String name, Duration timeout, String... reasons) {
    try {
      await("Events " + List.of(reasons)).atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> eventReasons(name).containsAll(List.of(reasons)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("waited " + timeout.toSeconds() + " s for Events " + List.of(reasons) + " about "
          + name + "; recorded: " + eventReasons(name), e);
    }
    return eventReasons(name);
  }

  /** The status of a resource of this kind (each resource class has its own getStatus). */
  Object status(R resource);

  private String shown(R resource) {
    if (resource == null) {
      return "(resource not found)";
    }
    String json = Serialization.asJson(status(resource));
    return json.length() > 800 ? json.substring(0, 800) + "…" : json;
  }
}
