package dev.stagegate.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * The order of route writes and canary scaling, decided from observations only (pure): pods before traffic, traffic
 * away before pods go. A reconcile asks for the next action, performs it, and asks again at the next reconcile.
 *
 * <ul>
 *   <li>a stage that sends requests to the canary first waits for at least one ready canary pod;
 *   <li>the route is written before the canary is scaled down, and the canary keeps its pods until the route has
 *       sent it nothing for {@code scaleDownDelay} (the gateway follows a route seconds after the API server);
 *   <li>a route the gateway refuses holds the stage with the condition's message.
 * </ul>
 */
public final class RoutingSequence {
  private RoutingSequence() {}

  public enum Kind {
    /** Scale the canary up to {@code canaryPods} before any traffic goes to it. */
    SCALE_CANARY_UP,
    /** Write the step into the route. */
    WRITE_ROUTE,
    /** Nothing to do until the gateway reports on the route, or it refuses it (see message). */
    WAIT_FOR_GATEWAY,
    /** Traffic has left the canary; keep its pods until {@code notBefore}. */
    WAIT_BEFORE_SCALE_DOWN,
    /** Scale the canary down to {@code canaryPods}. */
    SCALE_CANARY_DOWN,
    /** The stage's routing is in effect: its time and evidence may count. */
    IN_EFFECT
  }

  public record Action(Kind kind, int canaryPods, String message, Optional<Instant> notBefore) {
    static Action of(Kind kind, int pods, String message) {
      return new Action(kind, pods, message, Optional.empty());
    }
  }

  /**
   * @param step             the stage's routing
   * @param wantedCanaryPods {@link CanaryPods#forStage} for the stage
   * @param readyCanaryPods  the canary's ready pods now
   * @param canaryPods       the canary's desired replicas now (what the Deployment asks for)
   * @param route            the route as observed now
   * @param zeroSince        when the canary's weight was last written as 0 (empty when it is not 0)
   */
  public static Action next(TrafficStep step, GatewayApiRouting routing, int wantedCanaryPods, int readyCanaryPods,
      int canaryPods, TrafficRouter.Observation route, Optional<Instant> zeroSince, Instant now) {
    if (step.sendsToCanary() && (canaryPods < wantedCanaryPods || readyCanaryPods < 1)) {
      return Action.of(Kind.SCALE_CANARY_UP, Math.max(canaryPods, wantedCanaryPods),
          "canary has " + readyCanaryPods + " ready pod(s); traffic goes to it once one is ready");
    }
    boolean written = route.written().map(w -> w.sameShareAs(step.weights())).orElse(false)
        && route.headerRule() == !step.headerMatches().isEmpty();
    if (!written) {
      return Action.of(Kind.WRITE_ROUTE, canaryPods, "route to " + step.weights());
    }
    if (!route.acceptance().accepted()) {
      return Action.of(Kind.WAIT_FOR_GATEWAY, canaryPods, route.acceptance().message());
    }
    if (canaryPods > wantedCanaryPods) {
      if (wantedCanaryPods > 0 || TrafficRouter.canaryMayScaleDown(route, zeroSince, routing.scaleDownDelay(), now)) {
        return Action.of(Kind.SCALE_CANARY_DOWN, wantedCanaryPods, "canary scaled to " + wantedCanaryPods);
      }
      Instant at = zeroSince.map(t -> t.plus(routing.scaleDownDelay())).orElse(now.plus(routing.scaleDownDelay()));
      return new Action(Kind.WAIT_BEFORE_SCALE_DOWN, canaryPods,
          "canary weight is 0; its pods stay until the gateway has followed (scaleDownDelay "
              + routing.scaleDownDelay().toSeconds() + "s)", Optional.of(at));
    }
    return Action.of(Kind.IN_EFFECT, canaryPods, "route at " + step.weights() + ", accepted");
  }
}
