package dev.stagegate.notify;

import dev.stagegate.api.common.NotificationStatus;
import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.common.PendingNotification;
import dev.stagegate.api.common.SecretKeyRef;
import dev.stagegate.api.common.StatusBase;
import dev.stagegate.kube.OrderedWrites;
import dev.stagegate.kube.SecretValues;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications around the commit point. Before the status write ({@link #plan}) the transitions of this turn
 * and the results of the last sends go into the outbox in the planned status; after it ({@link #deliver}) what
 * is due is sent. A transition is thus recorded before anything is sent and sent only once recorded, and a
 * send's result is written on the next turn: an operator that stops between a send and that write sends it
 * again after restart, with the same idempotency key (the receiver can deduplicate; we cannot do better
 * without the receiver's help). With a background sender ({@link OrderedWrites}) the sends leave the reconcile
 * thread: a send in flight is not started again, its result lands in the same unrecorded results, and the
 * reconcile looks again shortly until it can write it down, so each result is still recorded exactly once.
 */
public final class Notifier {
  /** Look again this soon after sending, to write the results down. */
  static final Duration RECORD_RESULTS = Duration.ofMillis(100);
  /** Sends per resource per turn, so that a slow receiver cannot hold a reconcile thread for long. */
  static final int SENDS_PER_TURN = 4;
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  private final SecretValues secrets;
  private final NotifySender sender;
  private final NotifySettings settings;
  private final NotifyMetrics metrics;
  /** Results of sends not yet seen written in status, by resource uid, then "sequence/target". */
  private final Map<String, Map<String, DeliveryResult>> unrecorded = new ConcurrentHashMap<>();
  /** Sends started in the background and not yet in {@link #unrecorded}: "uid|sequence/target". */
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  /** Null: sends run on the reconcile thread. */
  private final OrderedWrites background;

  public Notifier(SecretValues secrets, NotifySender sender, NotifySettings settings, NotifyMetrics metrics) {
    this(secrets, sender, settings, metrics, null);
  }

  public Notifier(SecretValues secrets, NotifySender sender, NotifySettings settings, NotifyMetrics metrics,
      OrderedWrites background) {
    this.secrets = secrets;
    this.sender = sender;
    this.settings = settings;
    this.metrics = metrics;
    this.background = background;
  }

  /** Adds this turn's transitions and the last sends' results to {@code planned} (called before the status write). */
  public void plan(HasMetadata resource, List<NotifyTarget> targets, List<Transition> transitions, StatusBase planned,
      Instant now) {
    NotificationStatus box = NotificationOutbox.record(planned.getNotifications(), transitions,
        t -> targetNames(targets, t), now);
    NotificationOutbox.apply(box, List.copyOf(this.unrecorded.getOrDefault(uid(resource), Map.of()).values()), now);
    planned.setNotifications(box);
  }

  /** Sends what the committed status has due; returns when to look again. */
  public Duration deliver(HasMetadata resource, List<NotifyTarget> targets, StatusBase committed, Duration requeue,
      Instant now) {
    NotificationStatus box = committed.getNotifications();
    Map<String, DeliveryResult> results = results(resource);
    forgetRecorded(results, box);
    boolean sent = false;
    int sends = 0;
    for (NotificationOutbox.Due due : NotificationOutbox.due(box, now)) {
      String key = key(due.notification().getSequence(), due.target());
      if (results.containsKey(key)) {
        continue;
      }
      String flight = uid(resource) + "|" + key;
      if (this.inFlight.containsKey(flight)) {
        sent = true; // look again soon to write its result down
        continue;
      }
      if (sends++ == SENDS_PER_TURN) {
        sent = true;
        break;
      }
      if (this.background == null) {
        results.put(key, send(resource, targets, due));
      } else {
        this.inFlight.put(flight, Boolean.TRUE);
        this.background.submit(uid(resource), () -> {
          try {
            DeliveryResult result = send(resource, targets, due);
            this.unrecorded.compute(uid(resource), (k, m) -> {
              Map<String, DeliveryResult> into = m == null ? new ConcurrentHashMap<>() : m;
              into.put(key, result);
              return into;
            });
          } finally {
            this.inFlight.remove(flight);
          }
        });
      }
      sent = true;
    }
    // Atomic with a background send putting its result: an empty map goes only when nothing is in flight.
    this.unrecorded.computeIfPresent(uid(resource), (k, m) -> m.isEmpty() && !inFlightFor(k) ? null : m);
    Duration next = requeue;
    if (sent) {
      next = shorter(next, RECORD_RESULTS);
    }
    Optional<Instant> retry = NotificationOutbox.nextAttempt(box);
    if (retry.isPresent()) {
      Duration wait = Duration.between(now, retry.get());
      next = shorter(next, wait.isNegative() ? Duration.ZERO : wait);
    }
    return next;
  }

  private boolean inFlightFor(String uid) {
    String prefix = uid + "|";
    return this.inFlight.keySet().stream().anyMatch(f -> f.startsWith(prefix));
  }

  /** Forgets a deleted resource's unrecorded results. */
  public void forget(HasMetadata resource) {
    this.unrecorded.remove(uid(resource));
  }

  private DeliveryResult send(HasMetadata resource, List<NotifyTarget> targets, NotificationOutbox.Due due) {
    PendingNotification n = due.notification();
    long sequence = n.getSequence();
    Resolved target = resolve(resource, targets, due.target());
    if (target.error() != null) {
      LOG.warn("notification {} of {} {}/{} to target {}: {}", sequence, resource.getKind(), namespace(resource),
          resource.getMetadata().getName(), due.target(), target.error());
      int attempt = target.permanent() ? NotificationOutbox.MAX_ATTEMPTS : due.attempt();
      return new DeliveryResult(sequence, due.target(), Math.max(attempt, due.attempt()), target.error());
    }
    NotifyFormat format = NotifyFormat.of(target.type());
    Message message = new Message(resource.getKind(), namespace(resource), resource.getMetadata().getName(),
        uid(resource), n, settings.dashboardUrl());
    String error;
    try {
      error = sender.post(format.address(target.url()), format.body(message), message.idempotencyKey());
    } catch (IllegalArgumentException e) {
      error = "the URL is not usable";
    }
    metrics.sent(target.type(), error == null);
    if (error == null) {
      LOG.info("notified {} of {} {}/{} ({}, attempt {}) to target {}", n.getTransition(), resource.getKind(),
          namespace(resource), resource.getMetadata().getName(), message.idempotencyKey(), due.attempt(), due.target());
    } else {
      LOG.warn("notification {} of {} {}/{} to target {} failed (attempt {}): {}", message.idempotencyKey(),
          resource.getKind(), namespace(resource), resource.getMetadata().getName(), due.target(), due.attempt(), error);
    }
    return new DeliveryResult(sequence, due.target(), due.attempt(), error);
  }

  /** The target's type and URL: from the resource's own namespace, or from the operator's defaults. */
  private Resolved resolve(HasMetadata resource, List<NotifyTarget> targets, String name) {
    if (name.startsWith(DefaultTarget.PREFIX)) {
      for (DefaultTarget d : settings.defaults()) {
        if (d.statusName().equals(name)) {
          return new Resolved(d.type(), d.url(), null, false);
        }
      }
      return Resolved.failed("no longer among the operator's default targets", true);
    }
    NotifyTarget target = targets == null ? null
        : targets.stream().filter(t -> name.equals(t.getName())).findFirst().orElse(null);
    if (target == null || target.getType() == null || target.getUrlFrom() == null
        || target.getUrlFrom().getSecretKeyRef() == null) {
      return Resolved.failed("no longer in spec.notify", true);
    }
    SecretKeyRef ref = target.getUrlFrom().getSecretKeyRef();
    Optional<Map<String, String>> values;
    try {
      values = secrets.read(namespace(resource), ref.getName());
    } catch (RuntimeException e) {
      return Resolved.failed("cannot read Secret " + ref.getName() + " (" + e.getClass().getSimpleName() + ")", false);
    }
    if (values.isEmpty()) {
      return Resolved.failed("Secret " + ref.getName() + " not found", false);
    }
    String url = values.get().get(ref.getKey());
    if (url == null || url.isBlank()) {
      return Resolved.failed("Secret " + ref.getName() + " has no key " + ref.getKey(), false);
    }
    return new Resolved(target.getType(), url.trim(), null, false);
  }

  private List<String> targetNames(List<NotifyTarget> targets, Transition t) {
    List<String> names = new ArrayList<>();
    if (targets != null) {
      for (NotifyTarget target : targets) {
        if (target.getName() != null && target.wants(t.kind())) {
          names.add(target.getName());
        }
      }
    }
    for (DefaultTarget d : settings.defaults()) {
      if (d.wants(t.kind())) {
        names.add(d.statusName());
      }
    }
    return names;
  }

  /** Drops results the committed status already reflects: their target is done or the attempt is counted. */
  private static void forgetRecorded(Map<String, DeliveryResult> results, NotificationStatus box) {
    results.values().removeIf(r -> {
      PendingNotification p = box == null ? null : box.getPending().stream()
          .filter(x -> x.getSequence() != null && x.getSequence() == r.sequence()).findFirst().orElse(null);
      PendingNotification.PendingTarget target = p == null ? null : p.target(r.target());
      return target == null || target.attemptCount() >= r.attempt();
    });
  }

  private Map<String, DeliveryResult> results(HasMetadata resource) {
    return this.unrecorded.computeIfAbsent(uid(resource), k -> new ConcurrentHashMap<>());
  }

  private static String key(long sequence, String target) {
    return sequence + "/" + target;
  }

  private static String uid(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    return uid != null ? uid : namespace(resource) + "/" + resource.getMetadata().getName();
  }

  private static String namespace(HasMetadata resource) {
    return resource.getMetadata().getNamespace();
  }

  private static Duration shorter(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private record Resolved(NotifyType type, String url, String error, boolean permanent) {
    static Resolved failed(String error, boolean permanent) {
      return new Resolved(null, null, error, permanent);
    }

    @Override
    public String toString() {
      return "Resolved[" + type + ", " + error + "]";
    }
  }
}
