package dev.stagegate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A GRPCRoute seen as an HTTPRoute, so the one rules engine ({@link HttpRouteRules}) steers both kinds. Everything
 * the engine reads or writes has the same shape in both: a rule's {@code name}, {@code backendRefs} (name, kind,
 * group, namespace, port, weight) and its matches' {@code headers} ({type, name, value}); filters and the route
 * status ({@link RouteAcceptance}) too. The one field that differs, a match's {@code method} (an object in gRPC, a
 * string in HTTP), is carried through under {@value #GRPC_METHOD} and put back on the way out.
 */
public final class GrpcRouteView {
  static final String GRPC_METHOD = "x-stagegate-grpc-method";
  private static final ObjectMapper JSON = new ObjectMapper();

  private GrpcRouteView() {}

  /** The route as the engine reads it; its rules' gRPC method matches ride along untouched. */
  public static HTTPRoute asHttpRoute(GRPCRoute route) {
    ObjectNode tree = JSON.valueToTree(route);
    tree.put("kind", "HTTPRoute");
    for (JsonNode rule : tree.path("spec").path("rules")) {
      for (JsonNode match : rule.path("matches")) {
        if (match.has("method")) {
          ((ObjectNode) match).set(GRPC_METHOD, ((ObjectNode) match).remove("method"));
        }
      }
    }
    return JSON.convertValue(tree, HTTPRoute.class);
  }

  /** The engine's rules written back as GRPCRoute rules (plain JSON, for a server-side apply). */
  public static List<Object> grpcRules(List<HTTPRouteRule> rules) {
    List<Object> out = new ArrayList<>();
    for (HTTPRouteRule rule : rules) {
      ObjectNode tree = JSON.valueToTree(rule);
      for (JsonNode match : tree.path("matches")) {
        if (match.has(GRPC_METHOD)) {
          ((ObjectNode) match).set("method", ((ObjectNode) match).remove(GRPC_METHOD));
        }
      }
      out.add(JSON.convertValue(tree, Object.class));
    }
    return out;
  }
}
