package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** How a Release's traffic is split: today only through a Gateway API HTTPRoute. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficRouting {
  @Required
  @JsonPropertyDescription("Split the traffic with the weights of an HTTPRoute's backendRefs instead of the share of ready pods.")
  private GatewayApiTraffic gatewayAPI;

  public TrafficRouting() {}

  public TrafficRouting(GatewayApiTraffic gatewayAPI) { this.gatewayAPI = gatewayAPI; }

  public GatewayApiTraffic getGatewayAPI() { return gatewayAPI; }
  public void setGatewayAPI(GatewayApiTraffic gatewayAPI) { this.gatewayAPI = gatewayAPI; }
}
