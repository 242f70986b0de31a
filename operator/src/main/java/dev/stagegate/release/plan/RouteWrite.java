package dev.stagegate.release.plan;

import dev.stagegate.routing.GatewayApiRouting;
import dev.stagegate.routing.TrafficStep;
import java.util.Optional;

/**
 * The routing half of a plan, applied before the workload changes: the stable Service selects
 * {@code stableRevision}, the canary Service {@code canaryRevision}, then the route gets {@code step}.
 *
 * @param step the route's next weights and header rule; empty leaves the route as it is (a canary whose pods are
 *             not all ready yet keeps the share it already has rather than get a larger one)
 */
public record RouteWrite(GatewayApiRouting routing, String stableRevision, String canaryRevision,
    Optional<TrafficStep> step) {}
