package dev.stagegate.release.plan;

import dev.stagegate.api.common.Durations;
import dev.stagegate.api.release.GatewayApiTraffic;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageMatch;
import dev.stagegate.routing.BackendWeights;
import dev.stagegate.routing.CookieMatch;
import dev.stagegate.routing.GatewayApiRouting;
import dev.stagegate.routing.HeaderMatch;
import dev.stagegate.routing.TrafficStep;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code spec.trafficRouting} and a stage into the routing engine's terms (pure). */
public final class RouteSpecs {
  private RouteSpecs() {}

  /** The Release's routing, or empty when it splits by replica share. */
  public static Optional<GatewayApiRouting> routing(ReleaseSpec spec) {
    if (spec == null || spec.getTrafficRouting() == null) {
      return Optional.empty();
    }
    GatewayApiTraffic g = spec.getTrafficRouting().getGatewayAPI();
    if (g == null) {
      return Optional.empty();
    }
    return Optional.of(new GatewayApiRouting(g.getHttpRoute(), g.getStableService(), g.getCanaryService(),
        g.getPort() == null ? 0 : g.getPort(), true,
        Durations.parseOr(g.getScaleDownDelay(), GatewayApiRouting.DEFAULT_SCALE_DOWN_DELAY)));
  }

  /** The GRPCRoute steered like the HTTPRoute, or empty. */
  public static Optional<String> grpcRoute(ReleaseSpec spec) {
    return Optional.ofNullable(spec == null || spec.getTrafficRouting() == null ? null
        : spec.getTrafficRouting().getGatewayAPI()).map(GatewayApiTraffic::getGrpcRoute);
  }

  /** Whether the spec asks for routing at all (a {@code trafficRouting} without {@code gatewayAPI} is invalid). */
  static boolean asked(ReleaseSpec spec) {
    return spec != null && spec.getTrafficRouting() != null;
  }

  /**
   * The route during {@code stage}: its weight as exact backendRef weights, plus its header matches. At weight 0 the
   * weights are all-stable and only the header rule reaches the canary.
   */
  public static TrafficStep step(Stage stage) {
    BackendWeights weights = BackendWeights.forCanaryPercent(BigDecimal.valueOf(stage.getWeight()), "weight");
    List<HeaderMatch> matches = new ArrayList<>(headers(stage));
    cookies(stage).forEach(cookie -> matches.add(cookie.asHeader()));
    return new TrafficStep(weights, matches);
  }

  /** Whether {@code stage} may run at weight 0: a routed Release's stage that reaches the canary by header only. */
  static boolean headerOnlyAllowed(ReleaseSpec spec, Stage stage) {
    return asked(spec) && (!headers(stage).isEmpty() || !cookies(stage).isEmpty());
  }

  static List<HeaderMatch> headers(Stage stage) {
    StageMatch match = stage.getMatch();
    if (match == null || match.getHeaders() == null) {
      return List.of();
    }
    return match.getHeaders().stream()
        .map(h -> new HeaderMatch(h.getName() == null ? "" : h.getName(), h.getValue() == null ? "" : h.getValue()))
        .toList();
  }

  /** The stage's cookie matches ({@code match.cookies}), each routed as a pattern on the Cookie header. */
  static List<CookieMatch> cookies(Stage stage) {
    StageMatch match = stage.getMatch();
    if (match == null || match.getCookies() == null) {
      return List.of();
    }
    return match.getCookies().stream()
        .map(c -> new CookieMatch(c.getName() == null ? "" : c.getName(), c.getValue() == null ? "" : c.getValue()))
        .toList();
  }
}
