package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a traffic-routing test needs next to a real kube-apiserver: the Gateway API CRDs, a network namespace
 * with the simulated pods, the EndpointSlices for them, a real Traefik, and a Gateway {@value #GATEWAY} of class
 * {@value #GATEWAY_CLASS} listening on Traefik's web port. Routes attach to that Gateway.
 */
public final class GatewayStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayStack.class);
  public static final String GATEWAY_CLASS = "stagegate-traefik";
  public static final String GATEWAY = "stagegate-gateway";
  private static final String FIELD_MANAGER = "stagegate-sandbox";

  private final String namespace;
  private final PodNetwork pods;
  private final FakeEndpoints endpoints;
  private final TraefikGateway gateway;
  private final GatewayLoad load;

  private GatewayStack(String namespace, PodNetwork pods, FakeEndpoints endpoints, TraefikGateway gateway) {
    this.namespace = namespace;
    this.pods = pods;
    this.endpoints = endpoints;
    this.gateway = gateway;
    this.load = new GatewayLoad(gateway.webUri());
  }

  /** Why the stack cannot run on this machine, naming what to install; empty when it can. */
  public static Optional<String> unavailableReason() {
    Optional<String> netns = NetworkNamespace.unavailableReason();
    if (netns.isPresent()) {
      return Optional.of("cannot create a network namespace: " + netns.get());
    }
    if (TraefikGateway.binary().isEmpty()) {
      return Optional.of("Traefik " + TraefikGateway.VERSION
          + " is missing: run scripts/gateway.sh (called by `make test`)");
    }
    if (GatewayApiCrds.directory().isEmpty()) {
      return Optional.of("the Gateway API CRDs " + GatewayApiCrds.VERSION
          + " are missing: run scripts/gateway.sh (called by `make test`)");
    }
    return Optional.empty();
  }

  /**
   * Starts the stack for {@code namespace}. Wire the kubelet's readiness into {@link #endpoints()}
   * ({@code FakeKubelet.builder(...).onReadinessChange(stack.endpoints())}) so ready replicas become pods.
   */
  public static GatewayStack start(KubernetesClient client, String kubeconfigYaml, String namespace) {
    Path traefik = TraefikGateway.binary()
        .orElseThrow(() -> new IllegalStateException(unavailableReason().orElse("")));
    Path crds = GatewayApiCrds.directory()
        .orElseThrow(() -> new IllegalStateException(unavailableReason().orElse("")));
    GatewayApiCrds.install(client, crds);
    // Closed in reverse order of starting: the gateway first, the pods' namespace last.
    List<AutoCloseable> started = new ArrayList<>();
    try {
      PodNetwork pods = PodNetwork.start();
      started.add(pods);
      FakeEndpoints endpoints = FakeEndpoints.builder(client, pods).inNamespace(namespace).build().start();
      started.add(0, endpoints);
      TraefikGateway gateway = TraefikGateway.builder(traefik, kubeconfigYaml)
          .argument("--providers.kubernetesgateway.namespaces=" + namespace)
          .start();
      started.add(0, gateway);
      client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .fieldManager(FIELD_MANAGER).serverSideApply();
      client.resource(new GatewayClassBuilder()
              .withNewMetadata().withName(GATEWAY_CLASS).endMetadata()
              .withNewSpec().withControllerName(TraefikGateway.CONTROLLER_NAME).endSpec()
              .build())
          .fieldManager(FIELD_MANAGER).serverSideApply();
      client.resource(new GatewayBuilder()
              .withNewMetadata().withNamespace(namespace).withName(GATEWAY).endMetadata()
              .withNewSpec()
                .withGatewayClassName(GATEWAY_CLASS)
                .addNewListener().withName("http").withProtocol("HTTP").withPort(gateway.webPort()).endListener()
              .endSpec()
              .build())
          .fieldManager(FIELD_MANAGER).serverSideApply();
      return new GatewayStack(namespace, pods, endpoints, gateway);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  public String namespace() {
    return namespace;
  }

  public PodNetwork pods() {
    return pods;
  }

  public FakeEndpoints endpoints() {
    return endpoints;
  }

  public TraefikGateway gateway() {
    return gateway;
  }

  public GatewayLoad load() {
    return load;
  }

  @Override
  public void close() {
    closeAll(List.of(gateway, endpoints, pods));
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        Objects.requireNonNull(part).close();
      } catch (Exception e) {
        log.warn("Could not stop {}: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
