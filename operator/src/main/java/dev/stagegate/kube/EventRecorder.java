package dev.stagegate.kube;

import dev.stagegate.common.Note;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about a resource (what `kubectl describe` shows) and logs each one. The reconcilers'
 * recorder ({@link #inBackground}) hands the write to the operator instance's {@link OrderedWrites}: the Event is
 * built (timestamps, resource version) when recorded, after the commit, and written in order per resource without
 * the reconcile waiting for the API round trip.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "stagegate-operator";
  /** Tries per Event; the waits between them are 100 ms and 400 ms. */
  private static final int EVENT_ATTEMPTS = 3;

  private final KubernetesClient client;
  private final Clock clock;
  /** Null: written on the caller's thread. */
  private final OrderedWrites writes;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this(client, clock, null);
  }

  public EventRecorder(KubernetesClient client, Clock clock, OrderedWrites writes) {
    this.client = client;
    this.clock = clock;
    this.writes = writes;
  }

  /**
   * A recorder whose writes go to {@code writes}, the background writer of one operator instance: an instance's
   * Events never wait behind another's (several instances share a JVM in tests; a stopped one's writes may hang).
   */
  public static EventRecorder inBackground(KubernetesClient client, Clock clock, OrderedWrites writes) {
    return new EventRecorder(client, clock, java.util.Objects.requireNonNull(writes, "writes"));
  }

  /** A background writer for one operator instance's Events. */
  public static OrderedWrites newBackgroundWriter() {
    return OrderedWrites.background("event-writer", OrderedWrites.DEFAULT_THREADS, OrderedWrites.DEFAULT_CAPACITY);
  }

  public void record(HasMetadata about, Note note) {
    if (note.type() == Note.Type.Warning) {
      LOG.warn("{}: {}", note.reason(), note.message());
    } else {
      LOG.info("{}: {}", note.reason(), note.message());
    }
    String now = dev.stagegate.common.Timestamps.format(clock.instant());
    var meta = about.getMetadata();
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(meta.getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
          .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion())
            .build())
        .withType(note.type().name())
        .withReason(note.reason())
        .withMessage(truncate(note.message()))
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    Runnable write = () -> create(meta.getNamespace(), event, note.reason());
    if (writes == null) {
      write.run();
    } else {
      writes.submit(about.getKind() + "/" + meta.getNamespace() + "/" + meta.getName(), write);
    }
  }

  private static boolean worthRetrying(int code) {
    return code == 0 || code == 429 || code >= 500;
  }

  private static String truncate(String message) {
    return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
  }

  // An Event is a courtesy: failing to write one must never fail a rollout step. A transient refusal (a 5xx, 429,
  // no answer) is tried again a few times, as client-go's recorder does: the name is fixed, so an attempt whose
  // answer was lost but was stored comes back as 409 and nothing is recorded twice.
  private void create(String namespace, Event event, String reason) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
        return;
      } catch (KubernetesClientException e) {
        if (attempt > 1 && e.getCode() == 409) {
          return;
        }
        if (attempt >= EVENT_ATTEMPTS || !worthRetrying(e.getCode())) {
          LOG.warn("could not record event {}: {}", reason, e.getMessage());
          return;
        }
        try {
          Thread.sleep(100L << (2 * (attempt - 1)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
