package dev.stagegate.routing;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.List;
import java.util.Optional;

/**
 * Whether the gateway took the route, read from the route's own status ({@code status.parents[].conditions}): every
 * parent must report {@code Accepted} and {@code ResolvedRefs} True for the route's current generation. A stage
 * holds while the route is refused, with a message naming the condition. Accepted says the gateway parsed the
 * route, not that it routes by it yet: see {@link GatewayApiRouting#scaleDownDelay()}.
 */
public record RouteAcceptance(State state, String message) {
  public enum State { ACCEPTED, PENDING, REFUSED }

  static final String ACCEPTED = "Accepted";
  static final String RESOLVED_REFS = "ResolvedRefs";

  public static RouteAcceptance of(HTTPRoute route) {
    long generation = Optional.ofNullable(route.getMetadata().getGeneration()).orElse(0L);
    List<RouteParentStatus> parents = route.getStatus() == null || route.getStatus().getParents() == null
        ? List.of() : route.getStatus().getParents();
    if (parents.isEmpty()) {
      return new RouteAcceptance(State.PENDING, "no gateway has reported on the route yet (status.parents is empty)");
    }
    for (RouteParentStatus parent : parents) {
      String who = "gateway " + (parent.getParentRef() == null ? "?" : parent.getParentRef().getName());
      for (String type : List.of(ACCEPTED, RESOLVED_REFS)) {
        Optional<Condition> c = parent.getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
        if (c.isEmpty()) {
          return new RouteAcceptance(State.PENDING, who + " has not reported " + type + " yet");
        }
        Long observed = c.get().getObservedGeneration();
        if (observed != null && observed < generation) {
          return new RouteAcceptance(State.PENDING, who + " reported " + type + " for generation " + observed
              + ", not yet for " + generation);
        }
        if (!"True".equals(c.get().getStatus())) {
          return new RouteAcceptance(State.REFUSED, who + " reports " + type + "=" + c.get().getStatus()
              + " (" + c.get().getReason() + "): " + Optional.ofNullable(c.get().getMessage()).orElse(""));
        }
      }
    }
    return new RouteAcceptance(State.ACCEPTED, "accepted by " + parents.size() + " gateway(s)");
  }

  public boolean accepted() {
    return state == State.ACCEPTED;
  }
}
