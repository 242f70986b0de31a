/**
 * Traffic routing through the Gateway API: a stage's exact canary share written as weighted {@code backendRefs} of
 * an HTTPRoute the user owns, header-only canary rules, the stable and canary Services, and whether the gateway
 * accepted the route. Weight computation and route rewriting are pure; {@link dev.stagegate.routing.TrafficRouter}
 * is the one place that talks to the API server.
 */
package dev.stagegate.routing;
