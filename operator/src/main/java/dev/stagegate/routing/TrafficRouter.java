package dev.stagegate.routing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's one door to traffic routing: keeps the stable and canary Services, writes a stage's
 * {@link TrafficStep} into the HTTPRoute and reports what the route holds and whether the gateway took it.
 * Everything it decides is done by the pure classes of this package.
 */
public final class TrafficRouter {
  private final KubernetesClient client;
  private final HttpRouteWeightApplier applier;

  public TrafficRouter(KubernetesClient client) {
    this(client, RouteReader.apiServer(client));
  }

  /** @param routes where routes are read from (an informer's cache when one runs) */
  public TrafficRouter(KubernetesClient client, RouteReader routes) {
    this.client = client;
    this.applier = new HttpRouteWeightApplier(client, routes);
  }

  /**
   * What a stage asked for and what the route holds.
   *
   * @param requested  the stage's weights
   * @param written    the weights now in the route (empty when the route has no split rule)
   * @param headerRule whether the operator's header rule is in the route
   * @param acceptance the gateway's verdict on the route's current generation
   */
  public record Observation(BackendWeights requested, Optional<BackendWeights> written, boolean headerRule,
      RouteAcceptance acceptance) {

    /** The stage may count time and evidence only once the route holds its weights and the gateway took it. */
    public boolean inEffect() {
      return written.isPresent() && written.get().sameShareAs(requested) && acceptance.accepted();
    }
  }

  /** Creates or updates both Services (when the Release manages them), each selecting one revision's pods. */
  public void applyServices(String namespace, GatewayApiRouting routing, Map<String, String> appSelector,
      String stableRevision, String canaryRevision, IntOrString targetPort, OwnerReference owner) {
    if (!routing.manageServices()) {
      return;
    }
    for (var s : new String[][] {{routing.stableService(), stableRevision}, {routing.canaryService(), canaryRevision}}) {
      client.resource(ServiceSelectors.service(namespace, s[0], appSelector, s[1], routing.port(), targetPort, owner))
          .fieldManager(HttpRouteWeightApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
    }
  }

  /** Writes {@code step} into the route (when it differs) and observes the result. */
  public Observation route(String namespace, GatewayApiRouting routing, TrafficStep step) {
    applier.apply(namespace, routing, step);
    return observe(namespace, routing, step.weights());
  }

  public Observation observe(String namespace, GatewayApiRouting routing, BackendWeights requested) {
    HTTPRoute live = applier.read(namespace, routing.httpRoute());
    return new Observation(requested,
        HttpRouteRules.observedWeights(live.getSpec().getRules(), namespace, routing),
        HttpRouteRules.hasHeaderRule(live.getSpec().getRules()),
        RouteAcceptance.of(live));
  }

  /**
   * Whether the canary's pods may go: the route must send it nothing and have done so for the scale-down delay,
   * because the gateway applies a route change some time after the API server and the route status say so.
   *
   * @param zeroSince when the canary's weight was last written as 0 (empty: not yet)
   */
  public static boolean canaryMayScaleDown(Observation now, Optional<Instant> zeroSince, Duration delay,
      Instant clock) {
    boolean noTraffic = now.written().map(w -> w.canary() == 0).orElse(true) && !now.headerRule();
    return noTraffic && zeroSince.map(t -> !clock.isBefore(t.plus(delay))).orElse(false);
  }
}
