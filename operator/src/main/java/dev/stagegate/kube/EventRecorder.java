package dev.stagegate.kube;

import dev.stagegate.common.Note;
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
 * recorder ({@link #inBackground}) hands the write to {@link OrderedWrites}: the Event is built (timestamps,
 * resource version) when recorded, after the commit, and written in order per resource without the reconcile
 * waiting for the API round trip.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "stagegate-operator";

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

  /** A recorder whose writes go to the operator-wide background writer. */
  public static EventRecorder inBackground(KubernetesClient client, Clock clock) {
    return new EventRecorder(client, clock, Background.WRITES);
  }

  /** The background writer every reconciler's Events share (created on first use). */
  public static OrderedWrites backgroundWrites() {
    return Background.WRITES;
  }

  private static final class Background {
    static final OrderedWrites WRITES = OrderedWrites.background("event-writer", OrderedWrites.DEFAULT_THREADS,
        OrderedWrites.DEFAULT_CAPACITY);
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
    Runnable write = () -> {
      try {
        client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
      } catch (KubernetesClientException e) {
        // An Event is a courtesy: failing to write one must never fail a rollout step.
        LOG.warn("could not record event {}: {}", note.reason(), e.getMessage());
      }
    };
    if (writes == null) {
      write.run();
    } else {
      writes.submit(about.getKind() + "/" + meta.getNamespace() + "/" + meta.getName(), write);
    }
  }

  private static String truncate(String message) {
    return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
  }
}
