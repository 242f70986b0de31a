package dev.stagegate.notify;

import dev.stagegate.api.common.NotificationStatus;
import dev.stagegate.api.common.NotificationStatus.Delivery;
import dev.stagegate.api.common.PendingNotification;
import dev.stagegate.api.common.PendingNotification.PendingTarget;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outbox in status, pure: transitions go in with a sequence number, delivery results come back in as
 * observations, and it says what is due when. Sending happens elsewhere, after the status commit.
 */
public final class NotificationOutbox {
  /** Transitions kept waiting at most; beyond this the oldest are dropped (and counted). */
  public static final int MAX_PENDING = 20;
  /** Outcomes kept for people reading status. */
  public static final int MAX_DELIVERED = 20;
  /** Sends of one notification to one target before giving up. */
  public static final int MAX_ATTEMPTS = 8;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private NotificationOutbox() {}

  /**
   * Appends one pending notification per transition that some target wants ({@code targetsFor} gives their names).
   * Returns the status to write (the same object, or a new one if there was none and something is pending).
   */
  public static NotificationStatus record(NotificationStatus outbox, List<Transition> transitions,
      Function<Transition, List<String>> targetsFor, Instant now) {
    NotificationStatus box = outbox;
    for (Transition t : transitions) {
      List<String> targets = targetsFor.apply(t);
      if (targets.isEmpty()) {
        continue;
      }
      if (box == null) {
        box = new NotificationStatus();
      }
      long sequence = box.getNextSequence() == null ? 1L : box.getNextSequence();
      box.setNextSequence(sequence + 1);
      PendingNotification p = new PendingNotification();
      p.setSequence(sequence);
      p.setTransition(t.kind());
      p.setAt(Timestamps.format(now));
      p.setRevision(t.revision());
      p.setStage(t.stage());
      p.setWeight(t.weight());
      p.setReason(t.reason());
      p.setMessage(t.message());
      p.setChecks(t.checks().isEmpty() ? null : new ArrayList<>(t.checks()));
      p.setTargets(new ArrayList<>(targets.stream().map(PendingTarget::new).toList()));
      box.getPending().add(p);
    }
    if (box != null) {
      int over = box.getPending().size() - MAX_PENDING;
      if (over > 0) {
        box.getPending().subList(0, over).clear();
        box.setDropped((box.getDropped() == null ? 0 : box.getDropped()) + over);
      }
    }
    return box;
  }

  /**
   * Applies results of sends made after the last commit. A result whose attempt is already counted in status
   * (the turn that applied it was written) is ignored, so a result is never applied twice.
   */
  public static void apply(NotificationStatus box, List<DeliveryResult> results, Instant now) {
    if (box == null) {
      return;
    }
    for (DeliveryResult r : results) {
      PendingNotification p = find(box, r.sequence());
      PendingTarget target = p == null ? null : p.target(r.target());
      if (target == null || target.attemptCount() >= r.attempt()) {
        continue;
      }
      target.setAttempts(r.attempt());
      target.setLastError(r.error());
      if (r.delivered() || r.attempt() >= MAX_ATTEMPTS) {
        p.getTargets().remove(target);
        remember(box, new Delivery(p.getSequence(), r.target(), p.getTransition(),
            r.delivered() ? "Delivered" : "GaveUp", r.attempt(), Timestamps.format(now)));
      } else {
        target.setNextAttemptAt(Timestamps.precise(now.plus(backoff(r.attempt()))));
      }
    }
    box.getPending().removeIf(p -> p.getTargets().isEmpty());
  }

  /** Pairs of (notification, target) that may be sent now, oldest first. */
  public static List<Due> due(NotificationStatus box, Instant now) {
    List<Due> due = new ArrayList<>();
    if (box == null) {
      return due;
    }
    for (PendingNotification p : box.getPending()) {
      for (PendingTarget target : p.getTargets()) {
        Instant next = Timestamps.parse(target.getNextAttemptAt());
        if (next == null || !now.isBefore(next)) {
          due.add(new Due(p, target.getName(), target.attemptCount() + 1));
        }
      }
    }
    return due;
  }

  /** When the earliest waiting notification may be retried, if one waits for its backoff. */
  public static Optional<Instant> nextAttempt(NotificationStatus box) {
    if (box == null) {
      return Optional.empty();
    }
    return box.getPending().stream().flatMap(p -> p.getTargets().stream())
        .map(t -> Timestamps.parse(t.getNextAttemptAt())).filter(i -> i != null).min(Instant::compareTo);
  }

  /** 1 s, 2 s, 4 s, ... up to 5 min after the attempt that failed. */
  static Duration backoff(int failedAttempt) {
    Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(failedAttempt - 1, 20));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static PendingNotification find(NotificationStatus box, long sequence) {
    for (PendingNotification p : box.getPending()) {
      if (p.getSequence() != null && p.getSequence() == sequence) {
        return p;
      }
    }
    return null;
  }

  private static void remember(NotificationStatus box, Delivery delivery) {
    box.getDelivered().add(delivery);
    Iterator<Delivery> oldest = box.getDelivered().iterator();
    for (int over = box.getDelivered().size() - MAX_DELIVERED; over > 0; over--) {
      oldest.next();
      oldest.remove();
    }
  }

  /** One send to make: {@code attempt} is 1 for the first. */
  public record Due(PendingNotification notification, String target, int attempt) {
  }
}
