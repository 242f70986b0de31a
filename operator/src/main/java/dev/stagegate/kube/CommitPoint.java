package dev.stagegate.kube;

import dev.stagegate.common.Note;
import dev.stagegate.common.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared reconcile skeleton: observe and plan (the resource's steps), then write the status as the
 * commit point with optimistic locking, and only after it succeeds remove the action annotation, act,
 * record Events and metrics. A status write that loses a race plans again instead of acting on a stale
 * decision, and a cache still behind our own write is waited for, not planned from.
 */
public final class CommitPoint<R extends CustomResource<?, S>, S> {
  static final Duration CONFLICT_RETRY = Duration.ofMillis(200L);
  static final Duration STALE_CACHE_RETRY = Duration.ofMillis(100L);
  private static final Logger LOG = LoggerFactory.getLogger(CommitPoint.class);
  private final StatusWriter writer;
  private final EventRecorder events;
  private final ReconcileFailures failures;
  private final ActionAnnotation action;
  private final Clock clock;
  private final Supplier<R> blank;
  private final Map<ResourceID, String> writtenFrom = new ConcurrentHashMap<>();
  private volatile CrashPoints crashPoints = CrashPoints.NONE;
  private final UnconfirmedWrites unconfirmed = new UnconfirmedWrites();

  /** @param eventWrites the operator instance's background writer for Events */
  public CommitPoint(KubernetesClient client, StatusWriter writer, Clock clock, Supplier<R> blank,
      OrderedWrites eventWrites) {
    this.writer = writer;
    this.events = EventRecorder.inBackground(client, clock, eventWrites);
    this.failures = new ReconcileFailures(this.events);
    this.action = new ActionAnnotation(client);
    this.clock = clock;
    this.blank = blank;
  }

  /** Where a test may stop this instance dead (see {@link CrashPoints}); none in production. */
  public void crashPoints(CrashPoints points) {
    this.crashPoints = points;
  }

  public EventRecorder events() {
    return this.events;
  }

  public <O, P extends Plan<S>> UpdateControl<R> reconcile(R resource, Context<R> context, Steps<R, O, P> steps) {
    UpdateControl<R> control = turn(resource, context, steps);
    this.failures.succeeded(resource);
    return control;
  }

  public ErrorStatusUpdateControl<R> failed(R resource, Exception e) {
    return this.failures.report(resource, e);
  }

  private <O, P extends Plan<S>> UpdateControl<R> turn(R resource, Context<R> context, Steps<R, O, P> steps) {
    ResourceID id = ResourceID.fromResource(resource);
    String version = resource.getMetadata().getResourceVersion();
    if (cacheBehindOwnWrite(id, version)) {
      return UpdateControl.<R>noUpdate().rescheduleAfter(STALE_CACHE_RETRY);
    } else {
      for (Note note : this.unconfirmed.landed(id, version, json(resource.getStatus()))) {
        this.events.record(resource, note);
      }
      Decision<O, P> decision = steps.decide(resource, context, this.clock.instant());
      P plan = (P)decision.plan();
      R decided = withStatus(resource, plan.status());
      boolean changed = !Objects.equals(json(plan.status()), json(resource.getStatus()));
      this.crashPoints.reached(CrashPoints.Point.BEFORE_COMMIT, resource, plan.status());
      if (changed && !write(id, resource, decided, plan)) {
        LOG.debug("status of {} changed since it was read; planning again", id);
        return UpdateControl.<R>noUpdate().rescheduleAfter(CONFLICT_RETRY);
      } else {
        if (changed && version != null) {
          this.writtenFrom.put(id, version);
        }

        if (plan.actionConsumed()) {
          this.action.remove(resource, ActionAnnotation.of(resource));
        }

        List<Note> notes = new ArrayList<>(plan.notes());
        Duration requeue = plan.requeueAfter();
        this.crashPoints.reached(CrashPoints.Point.AFTER_COMMIT, resource, plan.status());

        try {
          requeue = steps.act(decided, decision, notes, requeue);
        } finally {
          for (Note note : notes) {
            this.events.record(resource, note);
          }

          steps.measure(resource, decision, notes);
        }
        this.crashPoints.reached(CrashPoints.Point.AFTER_ACT, resource, plan.status());

        return UpdateControl.<R>noUpdate().rescheduleAfter(requeue);
      }
    }
  }

  /** False on a conflict. A conflict or no clear answer may still mean it was stored: see UnconfirmedWrites. */
  private boolean write(ResourceID id, R resource, R decided, Plan<S> plan) {
    String from = resource.getMetadata().getResourceVersion();
    boolean written;
    try {
      written = this.writer.write(resource, decided, this.blank);
    } catch (RuntimeException e) {
      this.unconfirmed.remember(id, from, json(plan.status()), plan.notes());
      throw e;
    }
    if (written) {
      this.unconfirmed.settled(id);
    } else {
      this.unconfirmed.remember(id, from, json(plan.status()), plan.notes());
    }
    return written;
  }

  /** The resource is deleted: what was remembered about it goes. */
  public void forget(ResourceID id) {
    this.writtenFrom.remove(id);
    this.unconfirmed.forget(id);
    this.failures.forget(id.getNamespace().orElse(null) + "/" + id.getName());
  }

  private boolean cacheBehindOwnWrite(ResourceID id, String version) {
    String replaced = this.writtenFrom.get(id);
    if (replaced == null) {
      return false;
    } else if (replaced.equals(version)) {
      return true;
    } else {
      this.writtenFrom.remove(id, replaced);
      return false;
    }
  }

  private R withStatus(R resource, S status) {
    R copy = this.blank.get();
    copy.setMetadata(new ObjectMetaBuilder(resource.getMetadata()).build());
    ((CustomResource<Object, S>)copy).setSpec(resource.getSpec());
    copy.setStatus(status);
    return copy;
  }

  private static String json(Object status) {
    return status == null ? "null" : Serialization.asJson(status);
  }

  public record Decision<O, P>(O observation, P plan) {
  }

  public interface Steps<R extends HasMetadata, O, P> {
    Decision<O, P> decide(R resource, Context<R> context, Instant now);

    Duration act(R decided, Decision<O, P> decision, List<Note> notes, Duration requeue);

    void measure(R resource, Decision<O, P> decision, List<Note> notes);
  }
}
