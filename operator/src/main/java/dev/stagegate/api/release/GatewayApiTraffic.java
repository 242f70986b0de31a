package dev.stagegate.api.release;

import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** {@code spec.trafficRouting.gatewayAPI}: the HTTPRoute the operator steers and the two Services it owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayApiTraffic {
  @Required
  @JsonPropertyDescription("HTTPRoute in the Release's namespace. Only the weights of its backendRefs to the two Services are"
      + " written (server-side apply, field manager stagegate-traffic); its other rules, matches and filters stay yours.")
  private String httpRoute;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("Optional GRPCRoute in the Release's namespace that gets the same weights and header rule as the"
      + " HTTPRoute (its rules must name the stable Service too); a stage counts once the gateway accepted both.")
  private String grpcRoute;

  @Required
  @JsonPropertyDescription("Service the operator creates for the stable revision's pods (app selector + stagegate.dev/revision).")
  private String stableService;

  @Required
  @JsonPropertyDescription("Service the operator creates for the canary revision's pods.")
  private String canaryService;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of both Services, as the HTTPRoute's backendRefs name it.")
  private Integer port;

  @JsonPropertyDescription("The pods' port, by number or name (default: port).")
  private IntOrString targetPort;

  @Default("30s")
  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.SCALE_DOWN_DELAY_RULE, message = DurationLimits.SCALE_DOWN_DELAY_MESSAGE)
  @JsonPropertyDescription("How long the canary's pods stay after its weight went to 0: a gateway follows a route seconds"
      + " after the API server took it (default 30s).")
  private String scaleDownDelay;

  public String getHttpRoute() { return httpRoute; }
  public void setHttpRoute(String httpRoute) { this.httpRoute = httpRoute; }
  public String getGrpcRoute() { return grpcRoute; }
  public void setGrpcRoute(String grpcRoute) { this.grpcRoute = grpcRoute; }
  public String getStableService() { return stableService; }
  public void setStableService(String stableService) { this.stableService = stableService; }
  public String getCanaryService() { return canaryService; }
  public void setCanaryService(String canaryService) { this.canaryService = canaryService; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
  public IntOrString getTargetPort() { return targetPort; }
  public void setTargetPort(IntOrString targetPort) { this.targetPort = targetPort; }
  public String getScaleDownDelay() { return scaleDownDelay; }
  public void setScaleDownDelay(String scaleDownDelay) { this.scaleDownDelay = scaleDownDelay; }
}
