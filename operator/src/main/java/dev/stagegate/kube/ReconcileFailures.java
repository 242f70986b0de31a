package dev.stagegate.kube;

import dev.stagegate.api.common.Reason;
import dev.stagegate.common.ErrorText;
import dev.stagegate.common.Note;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reconciles that threw: one Warning Event (`ReconcileFailed`) per distinct error while a resource keeps
 * failing, so `kubectl describe` shows why it is not moving without an Event per retry. The status is left as
 * it was (it still describes the last decision made) and JOSDK retries per {@link ReconcileRetry}.
 */
public final class ReconcileFailures {

  private final EventRecorder events;
  /** The error last reported per resource, until a reconcile of it succeeds. In memory: a restart reports again. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

  public ReconcileFailures(EventRecorder events) {
    this.events = events;
  }

  public <P extends HasMetadata> ErrorStatusUpdateControl<P> report(P resource, Exception e) {
    String error = ErrorText.of(e);
    if (!Objects.equals(reported.put(key(resource), error), error)) {
      events.record(resource, Note.warning(Failure.ReconcileFailed, "reconcile failed; retrying with backoff up to every "
          + ReconcileRetry.MAX.toMinutes() + "m until it succeeds: " + error));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  public void succeeded(HasMetadata resource) {
    reported.remove(key(resource));
  }

  /** Forgets the error reported for namespace/name, so a re-created resource's first failure is reported. */
  public void forget(String namespaceAndName) {
    reported.remove(namespaceAndName);
  }

  private static String key(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  /** The one Event reason this class records. */
  public enum Failure implements Reason {
    ReconcileFailed
  }
}
