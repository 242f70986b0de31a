package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the route was asked to do and what it does, so a held stage says why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficRoutingStatus {
  @JsonPropertyDescription("Weights the operator wants in the route, stable/canary (e.g. 19/1 for 5%).")
  private String requestedWeights;
  @JsonPropertyDescription("Weights the route holds, stable/canary, as last observed.")
  private String routeWeights;
  @JsonPropertyDescription("Whether requests carrying the stage's headers are routed to the canary.")
  private Boolean headerRule;
  @JsonPropertyDescription("Accepted, Pending or Refused: the gateway's Accepted and ResolvedRefs conditions on the route.")
  private String route;
  private String message;
  @JsonPropertyDescription("Since when the route has been seen sending the canary Service nothing; its pods go scaleDownDelay later.")
  private String canaryIdleSince;

  public String getRequestedWeights() { return requestedWeights; }
  public void setRequestedWeights(String requestedWeights) { this.requestedWeights = requestedWeights; }
  public String getRouteWeights() { return routeWeights; }
  public void setRouteWeights(String routeWeights) { this.routeWeights = routeWeights; }
  public Boolean getHeaderRule() { return headerRule; }
  public void setHeaderRule(Boolean headerRule) { this.headerRule = headerRule; }
  public String getRoute() { return route; }
  public void setRoute(String route) { this.route = route; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getCanaryIdleSince() { return canaryIdleSince; }
  public void setCanaryIdleSince(String canaryIdleSince) { this.canaryIdleSince = canaryIdleSince; }
}
