package dev.stagegate.routing;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where the operator reads an HTTPRoute from: an informer's cache once one runs, else the API server. A stale cache
 * is safe for writes: the apply carries the resourceVersion it read, so the API server refuses it with a 409 and the
 * applier reads the route again from the API server.
 */
@FunctionalInterface
public interface RouteReader {
  /** The route, or null when it does not exist. */
  HTTPRoute read(String namespace, String name);

  /** A GET on the API server every time. */
  static RouteReader apiServer(KubernetesClient client) {
    return (namespace, name) -> client.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get();
  }
}
