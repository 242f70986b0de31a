package dev.stagegate.release.plan;

import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.TrafficRoutingStatus;
import dev.stagegate.common.Timestamps;
import dev.stagegate.routing.BackendWeights;
import dev.stagegate.routing.TrafficRouter;
import dev.stagegate.routing.TrafficStep;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The routing step of a Release with {@code spec.trafficRouting}: what the route should hold after this turn, and
 * which pods may go. The order is the routing engine's ({@code RoutingSequence}): pods before traffic, and traffic
 * away before pods. A revision other than the stable one keeps its pods until the route has been seen sending the
 * canary Service nothing, accepted by the gateway, for {@code scaleDownDelay}, because a gateway follows a route
 * seconds after the API server took it.
 */
final class TrafficPlan {
  /**
   * A turn waiting on the route looks again soon: the HTTPRoute informer wakes it on a change, but it starts only
   * once the cluster serves HTTPRoutes, and until then the route is read by polling.
   */
  static final Duration ROUTE_POLL = Duration.ofSeconds(1);

  private TrafficPlan() {}

  static void finish(ReleaseDraft d) {
    if (d.routing == null) {
      d.next.setTrafficRouting(null);
      return;
    }
    String stable = d.next.getStableRevision();
    if (stable == null) {
      return;
    }
    TrafficRouter.Observation seen = d.obs.route();
    Optional<TrafficStep> step = desired(d, seen);
    d.route = new RouteWrite(d.routing, stable, canaryServiceRevision(d), step);

    TrafficRoutingStatus status = d.next.getTrafficRouting() == null
        ? new TrafficRoutingStatus() : d.next.getTrafficRouting();
    d.next.setTrafficRouting(status);
    step.ifPresent(s -> status.setRequestedWeights(text(s.weights())));
    if (seen != null) {
      status.setRouteWeights(seen.written().map(TrafficPlan::text).orElse(null));
      status.setHeaderRule(seen.headerRule());
      status.setRoute(switch (seen.acceptance().state()) {
        case ACCEPTED -> "Accepted";
        case PENDING -> "Pending";
        case REFUSED -> "Refused";
      });
      status.setMessage(seen.acceptance().message());
    }
    boolean idle = seen != null && seen.acceptance().accepted() && !seen.headerRule()
        && seen.written().map(w -> w.canary() == 0).orElse(true);
    if (!idle) {
      status.setCanaryIdleSince(null);
    } else if (status.getCanaryIdleSince() == null) {
      status.setCanaryIdleSince(Timestamps.precise(d.now));
    }
    if (step.isPresent() && !inEffect(seen, step.get())) {
      d.wakeAt(d.now.plus(ROUTE_POLL));
    }
    holdPodsWhileRouted(d, status);
  }

  /** Whether the route holds {@code step} and the gateway took it: only then does a stage's time count. */
  static boolean inEffect(TrafficRouter.Observation seen, TrafficStep step) {
    return seen != null
        && seen.written().map(w -> w.sameShareAs(step.weights())).orElse(false)
        && seen.headerRule() == !step.headerMatches().isEmpty()
        && seen.acceptance().accepted();
  }

  /** The canary's share of the route's weights in whole percent, for the printer column. */
  static Integer actualWeight(ReleaseDraft d) {
    TrafficRouter.Observation seen = d.obs.route();
    if (d.next.getCanaryRevision() == null || seen == null || seen.written().isEmpty()) {
      return d.next.getCanaryRevision() == null ? null : 0;
    }
    return (int) Math.round(seen.written().get().canaryShare() * 100);
  }

  private static Optional<TrafficStep> desired(ReleaseDraft d, TrafficRouter.Observation seen) {
    String canary = d.next.getCanaryRevision();
    if (canary == null || d.next.getCurrentStage() == null) {
      return Optional.of(TrafficStep.allStable());
    }
    Stage stage = d.stageOf(d.next.getCurrentStage());
    TrafficStep step = RouteSpecs.step(stage);
    int ready = d.obs.ready(canary);
    if (ready >= d.split(stage).canary()) {
      return Optional.of(step);
    }
    // Not all of the stage's pods are ready: a canary already taking a smaller share keeps it meanwhile; one with
    // no ready pod, or a share larger than this stage's (a replaced canary), gets nothing.
    boolean smallerShareWritten = seen != null && seen.written()
        .map(w -> w.canaryShare() <= step.weights().canaryShare()).orElse(false);
    if (ready >= 1 && smallerShareWritten) {
      return Optional.empty();
    }
    return Optional.of(TrafficStep.allStable());
  }

  /** The canary Service follows the canary, then the failed revision (until its pods are gone), then stable. */
  private static String canaryServiceRevision(ReleaseDraft d) {
    if (d.next.getCanaryRevision() != null) {
      return d.next.getCanaryRevision();
    }
    return d.next.getFailedRevision() != null ? d.next.getFailedRevision() : d.next.getStableRevision();
  }

  private static void holdPodsWhileRouted(ReleaseDraft d, TrafficRoutingStatus status) {
    Instant idleSince = Timestamps.parse(status.getCanaryIdleSince());
    Instant mayGo = idleSince == null ? null : idleSince.plus(d.routing.scaleDownDelay());
    if (mayGo != null && !d.now.isBefore(mayGo)) {
      return;
    }
    if (d.holdScaleDowns()) {
      d.wakeAt(mayGo == null ? d.now.plus(ROUTE_POLL) : mayGo);
      status.setMessage((status.getMessage() == null ? "" : status.getMessage() + "; ")
          + "pods of revisions other than the stable one stay until the route has sent the canary Service nothing for "
          + d.routing.scaleDownDelay().toSeconds() + "s (scaleDownDelay)");
    }
  }

  private static String text(BackendWeights w) {
    return w.stable() + "/" + w.canary();
  }
}
