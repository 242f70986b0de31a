package dev.stagegate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
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

  private final KubernetesClient client;
  private final RouteReader reader;
  private final RouteReader apiServer;

  public HttpRouteWeightApplier(KubernetesClient client) {
    this(client, RouteReader.apiServer(client));
  }

  /** @param reader where the first attempt reads the route (an informer's cache); a retry after a 409 does a GET */
  public HttpRouteWeightApplier(KubernetesClient client, RouteReader reader) {
    this.client = client;
    this.reader = reader;
    this.apiServer = RouteReader.apiServer(client);
  }

  /** What the route holds after {@link #apply}. */
  public record Written(BackendWeights weights, boolean changed, long generation, int attempts) {}

  public Written apply(String namespace, GatewayApiRouting routing, TrafficStep step) {
    for (int attempt = 1; ; attempt++) {
      // A 409 means the first read was stale (a cache lagging a write): read the API server from then on.
      HTTPRoute live = read(attempt == 1 ? reader : apiServer, namespace, routing.httpRoute());
      List<HTTPRouteRule> rules;
      try {
        rules = HttpRouteRules.apply(live.getSpec().getRules(), namespace, routing, step);
      } catch (RouteShapeException e) {
        throw new RouteShapeException("HTTPRoute " + namespace + "/" + routing.httpRoute() + " " + e.getMessage());
      }
      long generation = live.getMetadata().getGeneration() == null ? 0 : live.getMetadata().getGeneration();
      if (sameJson(live.getSpec().getRules(), rules)) {
        return new Written(step.weights(), false, generation, attempt);
      }
      try {
        GenericKubernetesResource applied = client.resource(applyBody(live, rules))
            .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        Long newGeneration = applied.getMetadata().getGeneration();
        log.info("HTTPRoute {}/{}: weights {} written (generation {})", namespace, routing.httpRoute(),
            step.weights(), newGeneration);
        return new Written(step.weights(), true, newGeneration == null ? generation : newGeneration, attempt);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        log.debug("HTTPRoute {}/{} changed while its weights were being written; re-reading (attempt {})",
            namespace, routing.httpRoute(), attempt);
      }
    }
  }

  HTTPRoute read(String namespace, String name) {
    return read(reader, namespace, name);
  }

  private static HTTPRoute read(RouteReader from, String namespace, String name) {
    HTTPRoute live = from.read(namespace, name);
    if (live == null) {
      throw new RouteShapeException("HTTPRoute " + namespace + "/" + name + " does not exist: create it with a rule"
          + " whose backendRef names the stable Service (see examples/release-gateway.yaml)");
    }
    if (live.getSpec() == null || live.getSpec().getRules() == null) {
      throw new RouteShapeException("HTTPRoute " + namespace + "/" + name + " has no rules");
    }
    return live;
  }

  /** Only the rules and the identity; resourceVersion makes the apply a compare-and-swap on what was read. */
  static GenericKubernetesResource applyBody(HTTPRoute live, List<HTTPRouteRule> rules) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("gateway.networking.k8s.io/v1")
        .withKind("HTTPRoute")
        .withNewMetadata()
          .withName(live.getMetadata().getName())
          .withNamespace(live.getMetadata().getNamespace())
          .withResourceVersion(live.getMetadata().getResourceVersion())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("rules", JSON.convertValue(rules, List.class))))
        .build();
  }

  private static boolean sameJson(Object a, Object b) {
    JsonNode left = JSON.valueToTree(a);
    JsonNode right = JSON.valueToTree(b);
    return left.equals(right);
  }
}
