package dev.stagegate.routing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
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
  private final ServiceReader services;
  private final HttpRouteWeightApplier grpc;

  /** Where the operator reads a Service it owns from: an informer's cache, or the API server. */
  @FunctionalInterface
  public interface ServiceReader {
    /** The Service, or null when it does not exist. */
    Service read(String namespace, String name);
  }

  public TrafficRouter(KubernetesClient client) {
    this(client, RouteReader.apiServer(client),
        (namespace, name) -> client.services().inNamespace(namespace).withName(name).get());
  }

  /**
   * @param routes   where routes are read from (an informer's cache when one runs)
   * @param services where the Services are read from, to write them only when they differ
   */
  public TrafficRouter(KubernetesClient client, RouteReader routes, ServiceReader services) {
    this.client = client;
    this.applier = new HttpRouteWeightApplier(client, routes);
    this.services = services;
    this.grpc = HttpRouteWeightApplier.forGrpcRoutes(client);
  }

  /** @param grpcRoutes where GRPCRoutes are read from, as HTTPRoute views ({@link GrpcRouteView}) */
  public TrafficRouter(KubernetesClient client, RouteReader routes, RouteReader grpcRoutes, ServiceReader services) {
    this.client = client;
    this.applier = new HttpRouteWeightApplier(client, routes);
    this.services = services;
    this.grpc = HttpRouteWeightApplier.forGrpcRoutes(client, grpcRoutes);
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

  /**
   * Creates or updates both Services (when the Release manages them), each selecting one revision's pods. A Service
   * already as desired is not written: a reconcile must not cost two API writes that change nothing.
   *
   * @return how many Services were written
   */
  public int applyServices(String namespace, GatewayApiRouting routing, Map<String, String> appSelector,
      String stableRevision, String canaryRevision, IntOrString targetPort, OwnerReference owner) {
    if (!routing.manageServices()) {
      return 0;
    }
    int written = 0;
    for (var s : new String[][] {{routing.stableService(), stableRevision}, {routing.canaryService(), canaryRevision}}) {
      Service desired = ServiceSelectors.service(namespace, s[0], appSelector, s[1], routing.port(), targetPort, owner);
      if (ServiceSelectors.inPlace(services.read(namespace, s[0]), desired)) {
        continue;
      }
      client.resource(desired).fieldManager(HttpRouteWeightApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
      written++;
    }
    return written;
  }

  /** Writes {@code step} into the route (when it differs) and observes the result. */
  public Observation route(String namespace, GatewayApiRouting routing, TrafficStep step) {
    applier.apply(namespace, routing, step);
    return observe(namespace, routing, step.weights());
  }

  /** Writes {@code step} into the GRPCRoute {@code name} (when it differs) with the same rules engine. */
  public void routeGrpc(String namespace, String name, GatewayApiRouting routing, TrafficStep step) {
    grpc.apply(namespace, name, routing, step);
  }

  /** What the GRPCRoute {@code name} holds (from the informer's cache once one runs). */
  public Observation observeGrpc(String namespace, String name, GatewayApiRouting routing, BackendWeights requested) {
    return observation(grpc.read(namespace, name), namespace, routing, requested);
  }

  public Observation observe(String namespace, GatewayApiRouting routing, BackendWeights requested) {
    return observation(applier.read(namespace, routing.httpRoute()), namespace, routing, requested);
  }

  private static Observation observation(HTTPRoute live, String namespace, GatewayApiRouting routing,
      BackendWeights requested) {
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
