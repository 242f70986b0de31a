package dev.stagegate.routing;

import java.time.Duration;

/**
 * The routing a Release asks for ({@code spec.trafficRouting.gatewayAPI}): which HTTPRoute in the Release's
 * namespace carries its traffic, the stable and canary Services its backendRefs name, and the Services' port.
 *
 * @param httpRoute      the HTTPRoute to steer; the user (or their GitOps tool) owns everything else in it
 * @param stableService  Service selecting the stable revision's pods
 * @param canaryService  Service selecting the canary revision's pods
 * @param port           the Services' port the backendRefs use
 * @param manageServices whether the operator creates and owns both Services (else the user provides them)
 * @param scaleDownDelay how long after the canary's weight went to 0 its pods stay up: a gateway applies a route
 *                       change after the API server acknowledged it (Traefik: 1.5-2 s, while the route reports
 *                       Accepted after about 70 ms), so neither the write nor the status says traffic has left
 */
public record GatewayApiRouting(
    String httpRoute, String stableService, String canaryService, int port, boolean manageServices,
    Duration scaleDownDelay) {

  public static final String FIELD = "spec.trafficRouting.gatewayAPI";
  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  public static GatewayApiRouting of(String httpRoute, String stableService, String canaryService, int port) {
    return new GatewayApiRouting(httpRoute, stableService, canaryService, port, true, DEFAULT_SCALE_DOWN_DELAY);
  }

  public GatewayApiRouting withManageServices(boolean manage) {
    return new GatewayApiRouting(httpRoute, stableService, canaryService, port, manage, scaleDownDelay);
  }

  public GatewayApiRouting withScaleDownDelay(Duration delay) {
    return new GatewayApiRouting(httpRoute, stableService, canaryService, port, manageServices, delay);
  }
}
