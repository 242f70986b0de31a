package dev.stagegate.release;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.release.plan.RouteSpecs;
import dev.stagegate.routing.GrpcRouteView;
import dev.stagegate.routing.RouteReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches HTTPRoutes (or GRPCRoutes: {@link #grpcRoutes}) for the Releases that name them, so a route changed by someone else (a GitOps tool re-applying
 * git's weights) wakes its Release at once, and so a reconcile reads the route from the informer's cache instead of
 * the API server.
 *
 * <p>Started only when a routed Release is reconciled and the API server serves {@code gateway.networking.k8s.io/v1}
 * HTTPRoutes: an informer on a kind the cluster lacks fails the operator's start, and a cluster without the Gateway
 * API CRDs must still run Releases that split by replica share. Until it runs, {@link #read} does a GET.
 */
final class RouteInformer implements RouteReader {
  static final GroupVersionKind HTTP_ROUTE = new GroupVersionKind("gateway.networking.k8s.io", "v1", "HTTPRoute");
  static final GroupVersionKind GRPC_ROUTE = new GroupVersionKind("gateway.networking.k8s.io", "v1", "GRPCRoute");
  static final String NAME = "httproutes";
  static final String GRPC_NAME = "grpcroutes";
  /** Index of the Releases in the primary cache by the route they name ({@code namespace/name}). */
  static final String BY_ROUTE = "stagegate.dev/httproute";
  static final String BY_GRPC_ROUTE = "stagegate.dev/grpcroute";
  /** How long a cluster found without HTTPRoutes is not asked again (a discovery request per reconcile otherwise). */
  private static final Duration RECHECK = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(RouteInformer.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final RouteReader apiServer;
  private final GroupVersionKind kind;
  private final String name;
  private final String index;
  private final Function<ReleaseSpec, Optional<String>> routeOf;
  private final BiFunction<KubernetesClient, GenericKubernetesResource, HTTPRoute> view;
  private volatile InformerEventSource<GenericKubernetesResource, Release> source;
  private volatile Instant absentUntil = Instant.MIN;

  RouteInformer(KubernetesClient client, Clock clock) {
    this(client, clock, HTTP_ROUTE, NAME, BY_ROUTE, spec -> RouteSpecs.routing(spec).map(r -> r.httpRoute()),
        RouteReader.apiServer(client),
        (c, route) -> c.getKubernetesSerialization().convertValue(route, HTTPRoute.class));
  }

  private RouteInformer(KubernetesClient client, Clock clock, GroupVersionKind kind, String name, String index,
      Function<ReleaseSpec, Optional<String>> routeOf, RouteReader apiServer,
      BiFunction<KubernetesClient, GenericKubernetesResource, HTTPRoute> view) {
    this.client = client;
    this.clock = clock;
    this.kind = kind;
    this.name = name;
    this.index = index;
    this.routeOf = routeOf;
    this.apiServer = apiServer;
    this.view = view;
  }

  /**
   * The same for the GRPCRoutes Releases name in {@code gatewayAPI.grpcRoute}; {@link #read} gives a GRPCRoute as the
   * rules engine reads it ({@link GrpcRouteView}).
   */
  static RouteInformer grpcRoutes(KubernetesClient client, Clock clock) {
    return new RouteInformer(client, clock, GRPC_ROUTE, GRPC_NAME, BY_GRPC_ROUTE, RouteSpecs::grpcRoute,
        (namespace, routeName) -> {
          GRPCRoute route = client.resources(GRPCRoute.class).inNamespace(namespace).withName(routeName).get();
          return route == null ? null : GrpcRouteView.asHttpRoute(route);
        },
        (c, route) -> GrpcRouteView.asHttpRoute(c.getKubernetesSerialization().convertValue(route, GRPCRoute.class)));
  }

  /**
   * Indexes Releases by the HTTPRoute and the GRPCRoute they name, for the informers' mapping. Call from
   * prepareEventSources (before the cache runs).
   */
  static void indexReleases(EventSourceContext<Release> context) {
    index(context, BY_ROUTE, spec -> RouteSpecs.routing(spec).map(r -> r.httpRoute()));
    index(context, BY_GRPC_ROUTE, RouteSpecs::grpcRoute);
  }

  private static void index(EventSourceContext<Release> context, String index,
      Function<ReleaseSpec, Optional<String>> routeOf) {
    context.getPrimaryCache().addIndexer(index, release -> routeOf.apply(release.getSpec())
        .map(route -> List.of(key(release.getMetadata().getNamespace(), route)))
        .orElse(List.of()));
  }

  /** Starts the informer the first time a Release naming such a route needs it, once the cluster serves the kind. */
  void startFor(Release release, Context<Release> context) {
    if (source != null || RouteSpecs.routing(release.getSpec()).isEmpty() || routeOf.apply(release.getSpec()).isEmpty()
        || clock.instant().isBefore(absentUntil)) {
      return;
    }
    synchronized (this) {
      if (source != null) {
        return;
      }
      if (!client.supports(kind.apiVersion(), kind.getKind())) {
        LOG.info("The API server serves no {} (Gateway API CRDs not installed): routes are read without an informer",
            kind.toGVKString());
        absentUntil = clock.instant().plus(RECHECK);
        return;
      }
      EventSourceRetriever<Release> retriever = context.eventSourceRetriever();
      EventSourceContext<Release> sources = retriever.eventSourceContextForDynamicRegistration();
      InformerEventSourceConfiguration<GenericKubernetesResource> config =
          InformerEventSourceConfiguration.from(kind, Release.class)
              .withName(name)
              .withSecondaryToPrimaryMapper(route -> releasesNaming(sources, index, route))
              .build();
      // Returns the running source; registration starts it and waits for its first list.
      source = (InformerEventSource<GenericKubernetesResource, Release>)
          retriever.dynamicallyRegisterEventSource(new InformerEventSource<>(config, sources));
      LOG.info("Watching {} for routed Releases", kind.toGVKString());
    }
  }

  /** The route from the informer's cache once it runs, else from the API server; null when it does not exist. */
  @Override
  public HTTPRoute read(String namespace, String name) {
    InformerEventSource<GenericKubernetesResource, Release> running = source;
    if (running == null) {
      return apiServer.read(namespace, name);
    }
    return running.get(new ResourceID(name, namespace))
        .map(route -> view.apply(client, route))
        .orElse(null);
  }

  boolean running() {
    return source != null;
  }

  private static Set<ResourceID> releasesNaming(EventSourceContext<Release> sources, String index,
      GenericKubernetesResource route) {
    return sources.getPrimaryCache()
        .byIndex(index, key(route.getMetadata().getNamespace(), route.getMetadata().getName())).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
