package dev.stagegate.routing;

import java.util.Optional;

/**
 * One observation for a Release that steers an HTTPRoute and a GRPCRoute with the same weights. Pure.
 *
 * <ul>
 *   <li>Both hold the same share and header rule: that, accepted only when the gateway took both.
 *   <li>They differ (one written, the other not yet): Pending, so the stage does not count and the canary is not
 *       idle; the larger canary share and either header rule are reported, the ones that can still reach it.
 * </ul>
 */
public final class RouteObservations {
  private RouteObservations() {}

  public static TrafficRouter.Observation combine(TrafficRouter.Observation http, TrafficRouter.Observation grpc) {
    boolean same = http.written().isPresent() && grpc.written().isPresent()
        && http.written().get().sameShareAs(grpc.written().get()) && http.headerRule() == grpc.headerRule();
    if (same) {
      return new TrafficRouter.Observation(http.requested(), http.written(), http.headerRule(),
          worse(http.acceptance(), grpc.acceptance()));
    }
    Optional<BackendWeights> larger = http.written().isEmpty() ? grpc.written() : grpc.written().isEmpty()
        ? http.written()
        : Optional.of(http.written().get().canaryShare() >= grpc.written().get().canaryShare()
            ? http.written().get() : grpc.written().get());
    RouteAcceptance refused = worse(http.acceptance(), grpc.acceptance());
    RouteAcceptance acceptance = refused.state() == RouteAcceptance.State.REFUSED ? refused
        : new RouteAcceptance(RouteAcceptance.State.PENDING, "the routes differ: HTTPRoute " + text(http)
            + ", GRPCRoute " + text(grpc));
    return new TrafficRouter.Observation(http.requested(), larger, http.headerRule() || grpc.headerRule(), acceptance);
  }

  private static String text(TrafficRouter.Observation o) {
    return o.written().map(BackendWeights::toString).orElse("without the split") + (o.headerRule() ? " + header rule" : "");
  }

  /** The less ready verdict (Refused over Pending over Accepted), its message naming the route kind. */
  private static RouteAcceptance worse(RouteAcceptance http, RouteAcceptance grpc) {
    RouteAcceptance.State worst = rank(http) >= rank(grpc) ? http.state() : grpc.state();
    if (worst == RouteAcceptance.State.ACCEPTED) {
      return new RouteAcceptance(worst, "HTTPRoute and GRPCRoute " + http.message());
    }
    return rank(http) >= rank(grpc)
        ? new RouteAcceptance(worst, "HTTPRoute: " + http.message())
        : new RouteAcceptance(worst, "GRPCRoute: " + grpc.message());
  }

  private static int rank(RouteAcceptance a) {
    return switch (a.state()) {
      case ACCEPTED -> 0;
      case PENDING -> 1;
      case REFUSED -> 2;
    };
  }
}
