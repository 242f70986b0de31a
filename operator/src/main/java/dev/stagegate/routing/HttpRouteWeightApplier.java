package dev.stagegate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link TrafficStep} into the user's HTTPRoute with server-side apply under the operator's own field
 * manager {@value #FIELD_MANAGER}, sending nothing but {@code spec.rules}: parentRefs, hostnames, labels and
 * annotations stay with whoever wrote them.
 *
 * <p>{@code spec.rules} is an atomic list in the Gateway API's schema, so whoever applies it owns all of it: the
 * operator cannot own just the weights. It therefore forces ownership of the list it re-derives from the live
 * route, and guards against overwriting a change made between its read and its write with the read's
 * {@code resourceVersion} as an apply precondition: a 409 means "re-read and retry", never "give up". (A JSON-patch
 * {@code test} on resourceVersion was tried before and answered 422, not 409, so its failures looked permanent.)
 */
public final class HttpRouteWeightApplier {
  private static final Logger log = LoggerFactory.getLogger(HttpRouteWeightApplier.class);
  public static final String FIELD_MANAGER = "stagegate-traffic";
  static final int MAX_ATTEMPTS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The route kinds the operator steers: GRPCRoute through its HTTPRoute view ({@link GrpcRouteView}). */
  public enum Kind {
    HTTP_ROUTE("HTTPRoute"),
    GRPC_ROUTE("GRPCRoute");

    final String kind;

    Kind(String kind) {
      this.kind = kind;
    }
  }

  private final KubernetesClient client;
  private final RouteReader reader;
  private final RouteReader apiServer;
  private final Kind kind;

  public HttpRouteWeightApplier(KubernetesClient client) {
    this(client, RouteReader.apiServer(client));
  }

  /** @param reader where the first attempt reads the route (an informer's cache); a retry after a 409 does a GET */
  public HttpRouteWeightApplier(KubernetesClient client, RouteReader reader) {
    this.client = client;
    this.reader = reader;
    this.apiServer = RouteReader.apiServer(client);
    this.kind = Kind.HTTP_ROUTE;
  }

  /** Steers GRPCRoutes, read with a GET, with the same rules engine. */
  public static HttpRouteWeightApplier forGrpcRoutes(KubernetesClient client) {
    return forGrpcRoutes(client, grpcApiServer(client));
  }

  /**
   * Steers GRPCRoutes read first from {@code cache} (an informer's, giving each GRPCRoute as its HTTPRoute view); a
   * retry after a 409 does a GET.
   */
  public static HttpRouteWeightApplier forGrpcRoutes(KubernetesClient client, RouteReader cache) {
    return new HttpRouteWeightApplier(client, cache, grpcApiServer(client), Kind.GRPC_ROUTE);
  }

  private static RouteReader grpcApiServer(KubernetesClient client) {
    return (namespace, name) -> {
      GRPCRoute route = client.resources(GRPCRoute.class).inNamespace(namespace).withName(name).get();
      return route == null ? null : GrpcRouteView.asHttpRoute(route);
    };
  }

  private HttpRouteWeightApplier(KubernetesClient client, RouteReader reader, RouteReader apiServer, Kind kind) {
    this.client = client;
    this.reader = reader;
    this.apiServer = apiServer;
    this.kind = kind;
  }

  /** What the route holds after {@link #apply}. */
  public record Written(BackendWeights weights, boolean changed, long generation, int attempts) {}

  public Written apply(String namespace, GatewayApiRouting routing, TrafficStep step) {
    return apply(namespace, routing.httpRoute(), routing, step);
  }

  /** Writes {@code step} into the route {@code name} of this applier's kind. */
  public Written apply(String namespace, String name, GatewayApiRouting routing, TrafficStep step) {
    for (int attempt = 1; ; attempt++) {
      // A 409 means the first read was stale (a cache lagging a write): read the API server from then on.
      HTTPRoute live = read(attempt == 1 ? reader : apiServer, kind, namespace, name);
      List<HTTPRouteRule> rules;
      try {
        rules = HttpRouteRules.apply(live.getSpec().getRules(), namespace, routing, step);
      } catch (RouteShapeException e) {
        throw new RouteShapeException(kind.kind + " " + namespace + "/" + name + " " + e.getMessage());
      }
      long generation = live.getMetadata().getGeneration() == null ? 0 : live.getMetadata().getGeneration();
      if (sameJson(live.getSpec().getRules(), rules)) {
        return new Written(step.weights(), false, generation, attempt);
      }
      try {
        GenericKubernetesResource applied = client.resource(applyBody(kind, live, rules))
            .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        Long newGeneration = applied.getMetadata().getGeneration();
        log.info("{} {}/{}: weights {} written (generation {})", kind.kind, namespace, name,
            step.weights(), newGeneration);
        return new Written(step.weights(), true, newGeneration == null ? generation : newGeneration, attempt);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        log.debug("{} {}/{} changed while its weights were being written; re-reading (attempt {})",
            kind.kind, namespace, name, attempt);
      }
    }
  }

  /** The route {@code name} of this applier's kind, as the engine reads it. */
  HTTPRoute read(String namespace, String name) {
    return read(reader, kind, namespace, name);
  }

  private static HTTPRoute read(RouteReader from, Kind kind, String namespace, String name) {
    HTTPRoute live = from.read(namespace, name);
    if (live == null) {
      throw new RouteShapeException(kind.kind + " " + namespace + "/" + name + " does not exist: create it with a"
          + " rule whose backendRef names the stable Service (see examples/release-gateway.yaml)");
    }
    if (live.getSpec() == null || live.getSpec().getRules() == null) {
      throw new RouteShapeException(kind.kind + " " + namespace + "/" + name + " has no rules");
    }
    return live;
  }

  /** Only the rules and the identity; resourceVersion makes the apply a compare-and-swap on what was read. */
  static GenericKubernetesResource applyBody(HTTPRoute live, List<HTTPRouteRule> rules) {
    return applyBody(Kind.HTTP_ROUTE, live, rules);
  }

  private static GenericKubernetesResource applyBody(Kind kind, HTTPRoute live, List<HTTPRouteRule> rules) {
    Object rulesJson = kind == Kind.GRPC_ROUTE ? GrpcRouteView.grpcRules(rules) : JSON.convertValue(rules, List.class);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("gateway.networking.k8s.io/v1")
        .withKind(kind.kind)
        .withNewMetadata()
          .withName(live.getMetadata().getName())
          .withNamespace(live.getMetadata().getNamespace())
          .withResourceVersion(live.getMetadata().getResourceVersion())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("rules", rulesJson)))
        .build();
  }

  /**
   * Whether writing {@code desired} would change nothing in {@code live}: every field it sets already has that value.
   * Fields only {@code live} has are the API server's defaults (a backendRef's {@code group: ""} and
   * {@code kind: Service}, a match's {@code type: Exact}, an HTTP path {@code PathPrefix /}), which a rule the
   * operator builds (a header twin, an added canary backendRef) leaves out; comparing whole JSON made every reconcile
   * of a header-routed stage rewrite the route.
   */
  static boolean sameJson(Object live, Object desired) {
    return covers(JSON.valueToTree(live), JSON.valueToTree(desired));
  }

  private static boolean covers(JsonNode live, JsonNode desired) {
    if (desired == null || desired.isNull()) {
      return live == null || live.isNull();
    }
    if ((desired.isArray() || desired.isObject()) && desired.isEmpty() && (live == null || live.isNull())) {
      return true;
    }
    if (live == null) {
      return false;
    }
    if (desired.isObject()) {
      if (!live.isObject()) {
        return false;
      }
      for (var it = desired.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!covers(live.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!live.isArray() || live.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(live.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    return live.equals(desired);
  }
}
