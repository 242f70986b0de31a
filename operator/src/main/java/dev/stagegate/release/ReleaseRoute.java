package dev.stagegate.release;

import dev.stagegate.api.release.GatewayApiTraffic;
import dev.stagegate.api.release.Release;
import dev.stagegate.kube.LeanItemStore;
import dev.stagegate.release.plan.RouteSpecs;
import dev.stagegate.release.plan.RouteWrite;
import dev.stagegate.routing.BackendWeights;
import dev.stagegate.routing.GatewayApiRouting;
import dev.stagegate.routing.RouteAcceptance;
import dev.stagegate.routing.RouteObservations;
import dev.stagegate.routing.RouteShapeException;
import dev.stagegate.routing.TrafficRouter;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.stagegate.routing.ServiceSelectors;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Release's side of traffic routing: reads the HTTPRoute for the planner, and writes the planner's
 * {@link RouteWrite} (Services first, then the route). A write the API server or the route's shape refuses is
 * remembered and reported by the next observation as a refused route, so the stage holds with that message.
 */
final class ReleaseRoute {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseRoute.class);
  private final TrafficRouter router;
  private final RouteInformer routes;
  private final RouteInformer grpcRoutes;
  private final Map<ResourceID, String> writeErrors = new ConcurrentHashMap<>();
  /** The informer on the Services the operator owns; set by the reconciler's prepareEventSources. */
  private volatile InformerEventSource<Service, Release> services;

  void forget(ResourceID id) {
    writeErrors.remove(id);
  }

    ReleaseRoute(KubernetesClient client, Clock clock) {
    this.routes = new RouteInformer(client, clock);
    this.grpcRoutes = RouteInformer.grpcRoutes(client, clock);
    this.router = new TrafficRouter(client, routes, grpcRoutes, (namespace, name) -> services == null
        ? client.services().inNamespace(namespace).withName(name).get()
        : services.get(new ResourceID(name, namespace)).orElse(null));
  }

  /** The Services the operator owns, watched so they are compared from a cache and rewritten when someone edits them. */
  InformerEventSource<Service, Release> servicesSource(EventSourceContext<Release> context) {
    InformerEventSourceConfiguration<Service> config = InformerEventSourceConfiguration.from(Service.class, Release.class)
        .withLabelSelector(ServiceSelectors.MANAGED_BY + "=" + ServiceSelectors.MANAGER)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Release.class))
        .withItemStore(LeanItemStore.forSource(context))
        .build();
    this.services = new InformerEventSource<>(config, context);
    return this.services;
  }

  /**
   * Watches HTTPRoutes once a routed Release needs them and the cluster has the kind ({@link RouteInformer}), and
   * GRPCRoutes once one names a GRPCRoute.
   */
  void watch(Release release, Context<Release> context) {
    routes.startFor(release, context);
    grpcRoutes.startFor(release, context);
  }

  /**
   * The route as it is now, or null when the Release has no trafficRouting. Read from the informer's cache once it
   * runs, else from the API server.
   */
  TrafficRouter.Observation observe(Release release) {
    Optional<GatewayApiRouting> routing = RouteSpecs.routing(release.getSpec());
    if (routing.isEmpty()) {
      return null;
    }
    String failedWrite = writeErrors.remove(ResourceID.fromResource(release));
    try {
      String ns = release.getMetadata().getNamespace();
      TrafficRouter.Observation seen = router.observe(ns, routing.get(), BackendWeights.ALL_STABLE);
      Optional<String> grpc = RouteSpecs.grpcRoute(release.getSpec());
      if (grpc.isPresent()) {
        seen = RouteObservations.combine(seen,
            router.observeGrpc(ns, grpc.get(), routing.get(), BackendWeights.ALL_STABLE));
      }
      return failedWrite == null ? seen : new TrafficRouter.Observation(seen.requested(), seen.written(),
          seen.headerRule(), new RouteAcceptance(RouteAcceptance.State.REFUSED, failedWrite));
    } catch (RouteShapeException | KubernetesClientException e) {
      return new TrafficRouter.Observation(BackendWeights.ALL_STABLE, Optional.empty(), false,
          new RouteAcceptance(RouteAcceptance.State.REFUSED, ErrorMessages.of(e)));
    }
  }

  /** Points the Services at their revisions, then writes the route's step. Called before any workload change. */
  void write(Release release, RouteWrite write) {
    if (write == null) {
      return;
    }
    String ns = release.getMetadata().getNamespace();
    try {
      router.applyServices(ns, write.routing(), release.getSpec().getSelector().getMatchLabels(),
          write.stableRevision(), write.canaryRevision(), targetPort(release, write.routing()), owner(release));
      write.step().ifPresent(step -> {
        router.route(ns, write.routing(), step);
        RouteSpecs.grpcRoute(release.getSpec()).ifPresent(grpc -> router.routeGrpc(ns, grpc, write.routing(), step));
      });
    } catch (RouteShapeException | KubernetesClientException e) {
      LOG.warn("Release {}/{}: traffic routing not written: {}", ns, release.getMetadata().getName(),
          ErrorMessages.of(e));
      writeErrors.put(ResourceID.fromResource(release), ErrorMessages.of(e));
    }
  }

  private static IntOrString targetPort(Release release, GatewayApiRouting routing) {
    GatewayApiTraffic g = release.getSpec().getTrafficRouting().getGatewayAPI();
    return g.getTargetPort() != null ? g.getTargetPort() : new IntOrString(routing.port());
  }

  private static OwnerReference owner(Release release) {
    return new OwnerReferenceBuilder()
        .withApiVersion(release.getApiVersion())
        .withKind(release.getKind())
        .withName(release.getMetadata().getName())
        .withUid(release.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** A short, credential-free message: the API server's status message or the exception's own. */
  private static final class ErrorMessages {
    static String of(Exception e) {
      if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return "route write refused (" + k.getCode() + "): " + k.getStatus().getMessage();
      }
      return e.getMessage();
    }
  }
}
