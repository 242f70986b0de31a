package dev.stagegate.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites an HTTPRoute's rules for a {@link TrafficStep}, touching only what the operator owns: the weights of the
 * backendRefs to the stable and canary Services (adding the canary next to the stable one when it is missing) and,
 * for header-routed stages, one header rule per split rule, named {@value #HEADER_RULE_NAME}-N. Every other rule,
 * match, filter and backendRef stays as the user wrote it. Pure: the same rules and step always give the same result.
 */
public final class HttpRouteRules {
  /** Prefix of the rules the operator adds for header-routed stages and removes afterwards. */
  public static final String HEADER_RULE_NAME = "stagegate-canary-by-header";
  /** The Gateway API's limit on rules per route. */
  public static final int MAX_RULES = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpRouteRules() {}

  /**
   * The rules after {@code step}. A "split rule" is any rule with a backendRef to the stable Service: every path the
   * stable revision serves gets the stage's split, and, for a header-routed stage, a header twin just before it.
   *
   * @throws RouteShapeException when no rule names the stable Service, or the header rule would not fit
   */
  public static List<HTTPRouteRule> apply(List<HTTPRouteRule> current, String routeNamespace,
      GatewayApiRouting routing, TrafficStep step) {
    List<HTTPRouteRule> rules = new ArrayList<>();
    List<HTTPRouteRule> headerRules = new ArrayList<>();
    boolean anySplit = false;
    for (HTTPRouteRule original : current) {
      if (isHeaderRule(original)) {
        continue; // rebuilt below from the current split rules, or dropped
      }
      HTTPRouteRule rule = copy(original);
      if (isSplitRule(rule, routeNamespace, routing)) {
        anySplit = true;
        setWeights(rule, routeNamespace, routing, step.weights());
        if (!step.headerMatches().isEmpty()) {
          HTTPRouteRule twin = headerRule(rule, routing, step.headerMatches(), headerRules.size());
          headerRules.add(twin);
          rules.add(twin);
        }
      }
      rules.add(rule);
    }
    if (!anySplit) {
      throw new RouteShapeException("has no rule with a backendRef to Service '" + routing.stableService()
          + "': add one (the operator sets its weight and adds the canary Service '" + routing.canaryService()
          + "' next to it)");
    }
    if (rules.size() > MAX_RULES) {
      throw new RouteShapeException("would need " + rules.size() + " rules for a header-routed stage (one more per"
          + " rule naming '" + routing.stableService() + "'); the Gateway API allows at most " + MAX_RULES);
    }
    return rules;
  }

  /** The weights of the first split rule, as the gateway reads them (an absent weight is 1, an absent ref 0). */
  public static Optional<BackendWeights> observedWeights(List<HTTPRouteRule> rules, String routeNamespace,
      GatewayApiRouting routing) {
    for (HTTPRouteRule rule : rules) {
      if (isHeaderRule(rule) || !isSplitRule(rule, routeNamespace, routing)) {
        continue;
      }
      int stable = 0;
      int canary = 0;
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        if (refersTo(ref, routeNamespace, routing.stableService())) {
          stable += weight(ref);
        } else if (refersTo(ref, routeNamespace, routing.canaryService())) {
          canary += weight(ref);
        }
      }
      return stable + canary == 0 ? Optional.empty() : Optional.of(BackendWeights.observed(stable, canary));
    }
    return Optional.empty();
  }

  /** Whether the route has the operator's header rule. */
  public static boolean hasHeaderRule(List<HTTPRouteRule> rules) {
    return rules.stream().anyMatch(HttpRouteRules::isHeaderRule);
  }

  private static boolean isHeaderRule(HTTPRouteRule rule) {
    return rule.getName() != null && rule.getName().startsWith(HEADER_RULE_NAME + "-");
  }

  private static boolean isSplitRule(HTTPRouteRule rule, String ns, GatewayApiRouting routing) {
    return rule.getBackendRefs() != null
        && rule.getBackendRefs().stream().anyMatch(ref -> refersTo(ref, ns, routing.stableService()));
  }

  private static void setWeights(HTTPRouteRule rule, String ns, GatewayApiRouting routing, BackendWeights weights) {
    List<HTTPBackendRef> refs = new ArrayList<>(rule.getBackendRefs());
    boolean hasCanary = false;
    int stableAt = -1;
    for (int i = 0; i < refs.size(); i++) {
      HTTPBackendRef ref = refs.get(i);
      if (refersTo(ref, ns, routing.stableService())) {
        ref.setWeight(weights.stable());
        stableAt = stableAt < 0 ? i : stableAt;
      } else if (refersTo(ref, ns, routing.canaryService())) {
        ref.setWeight(weights.canary());
        hasCanary = true;
      }
    }
    if (!hasCanary) {
      HTTPBackendRef stable = refs.get(stableAt);
      refs.add(stableAt + 1, new HTTPBackendRefBuilder()
          .withName(routing.canaryService())
          .withPort(stable.getPort() != null ? stable.getPort() : routing.port())
          .withWeight(weights.canary())
          .build());
    }
    rule.setBackendRefs(refs);
  }

  /**
   * The split rule's own matches with the headers added, and its filters, so header-routed requests see the same
   * paths, hosts and rewrites as the rest; only the backend differs.
   */
  private static HTTPRouteRule headerRule(HTTPRouteRule split, GatewayApiRouting routing, List<HeaderMatch> headers,
      int index) {
    HTTPRouteRule rule = copy(split);
    rule.setName(HEADER_RULE_NAME + "-" + index);
    List<HTTPRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
        ? List.of(new HTTPRouteMatch()) : rule.getMatches();
    for (HTTPRouteMatch match : matches) {
      List<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch> all =
          new ArrayList<>(match.getHeaders() == null ? List.of() : match.getHeaders());
      for (HeaderMatch h : headers) {
        // A match's headers are a list keyed by name: a second entry for the same header is refused by the API server.
        if (all.stream().anyMatch(own -> own.getName().equalsIgnoreCase(h.name()))) {
          throw new RouteShapeException("has a rule that already matches header '" + h.name() + "', which the stage"
              + " also matches: the header rule cannot hold both (remove one)");
        }
        all.add(new HTTPHeaderMatchBuilder().withType(h.type()).withName(h.name()).withValue(h.value()).build());
      }
      match.setHeaders(all);
    }
    rule.setMatches(new ArrayList<>(matches));
    HTTPBackendRef canary = split.getBackendRefs().stream()
        .filter(ref -> routing.stableService().equals(ref.getName())).findFirst()
        .map(stable -> new HTTPBackendRefBuilder().withName(routing.canaryService())
            .withPort(stable.getPort() != null ? stable.getPort() : routing.port()).withWeight(1).build())
        .orElseThrow();
    rule.setBackendRefs(new ArrayList<>(List.of(canary)));
    return rule;
  }

  private static boolean refersTo(HTTPBackendRef ref, String routeNamespace, String service) {
    return service.equals(ref.getName())
        && (ref.getKind() == null || "Service".equals(ref.getKind()))
        && (ref.getGroup() == null || ref.getGroup().isEmpty())
        && (ref.getNamespace() == null || ref.getNamespace().equals(routeNamespace));
  }

  private static int weight(HTTPBackendRef ref) {
    return ref.getWeight() == null ? 1 : ref.getWeight();
  }

  private static HTTPRouteRule copy(HTTPRouteRule rule) {
    return JSON.convertValue(rule, HTTPRouteRule.class);
  }
}
