package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrafficRoutingValidatorTest {

  @Test
  @DisplayName("Given a complete gatewayAPI section, then there is nothing to report")
  void valid() {
    assertThat(TrafficRoutingValidator.validate(GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80)))
        .isEmpty();
  }

  @Test
  @DisplayName("Given several mistakes, then each is reported naming its field")
  void everyProblemNamed() {
    List<String> errors = TrafficRoutingValidator.validate(
        new GatewayApiRouting("Shop_Route", "shop", "shop", 0, true, Duration.ofSeconds(-1)));

    assertThat(errors).containsExactly(
        "spec.trafficRouting.gatewayAPI.httpRoute must be a DNS-1123 name (lower-case letters, digits, '-' and '.'),"
            + " got 'Shop_Route'",
        "spec.trafficRouting.gatewayAPI.canaryService must differ from stableService (both are 'shop': the split"
            + " would send everything to one Service)",
        "spec.trafficRouting.gatewayAPI.port must be within 1..65535, got 0",
        "spec.trafficRouting.gatewayAPI.scaleDownDelay must be zero or positive, got PT-1S");
  }

  @Test
  @DisplayName("Given missing names, then each is reported as required")
  void required() {
    assertThat(TrafficRoutingValidator.validate(new GatewayApiRouting(null, "", "c", 80, true, Duration.ZERO)))
        .containsExactly("spec.trafficRouting.gatewayAPI.httpRoute is required",
            "spec.trafficRouting.gatewayAPI.stableService is required");
  }

  @Test
  @DisplayName("Given a bad stage weight or header, then the message names the stage's field")
  void stageFields() {
    assertThat(TrafficRoutingValidator.validateWeight("spec.stages[1].weight", new BigDecimal("150")))
        .containsExactly("spec.stages[1].weight must be a percentage within 0..100, got 150");
    assertThat(TrafficRoutingValidator.validateHeaders("spec.stages[0].match.headers",
        List.of(new HeaderMatch("x canary", "true"), new HeaderMatch("x-canary", ""))))
        .containsExactly(
            "spec.stages[0].match.headers[0].name must be an HTTP header name (1-256 token characters), got 'x canary'",
            "spec.stages[0].match.headers[1].value must be 1-4096 characters");
  }
}
