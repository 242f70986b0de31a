package dev.stagegate.kube;

import dev.stagegate.common.Note;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events of a turn whose status write did not clearly succeed: no answer (a timeout, a 5xx), or a 409 that may be
 * the client's own retry of a first attempt the API server had already stored. The next turn plans from the stored
 * status, so it would not decide those transitions again and their Events (StageStarted, ...) would never be recorded.
 * Once the resource is seen at a newer version: if it holds exactly the status that was sent, the write landed and the
 * Events are recorded then; otherwise someone else wrote, and the turn plans again itself. While it is still seen at the
 * version the write was sent from, nothing is known yet; a later write from that version that succeeds proves the
 * first one was not stored (its own turn records the Events).
 */
final class UnconfirmedWrites {
  private static final Logger LOG = LoggerFactory.getLogger(UnconfirmedWrites.class);

  private record Pending(String fromVersion, String status, List<Note> notes) {}

  private final Map<ResourceID, Pending> pending = new ConcurrentHashMap<>();

  void remember(ResourceID id, String fromVersion, String sentStatus, List<Note> notes) {
    if (!notes.isEmpty()) {
      pending.put(id, new Pending(fromVersion, sentStatus, List.copyOf(notes)));
    }
  }

  /** The Events to record now because the unconfirmed write turned out stored; empty otherwise or not known yet. */
  List<Note> landed(ResourceID id, String version, String storedStatus) {
    Pending p = pending.get(id);
    if (p == null || Objects.equals(p.fromVersion(), version)) {
      return List.of();
    }
    pending.remove(id, p);
    if (!p.status().equals(storedStatus)) {
      return List.of();
    }
    LOG.info("a status write without a clear answer was stored (version {} -> {}): recording its {} Event(s)",
        p.fromVersion(), version, p.notes().size());
    return p.notes();
  }

  /** A write succeeded: an earlier unconfirmed one from the same version was not stored. */
  void settled(ResourceID id) {
    pending.remove(id);
  }

  void forget(ResourceID id) {
    pending.remove(id);
  }
}
