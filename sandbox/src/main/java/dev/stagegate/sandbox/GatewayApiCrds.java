package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Gateway API's standard-channel CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant) of the
 * release Traefik v3.6 implements, as scripts/gateway.sh takes them from the Go module
 * {@code sigs.k8s.io/gateway-api} into {@code ~/.stagegate/gateway-api-crds-v1.4.1}.
 */
public final class GatewayApiCrds {
  public static final String VERSION = "v1.4.1";

  private GatewayApiCrds() {}

  /** The folder of CRD files, when scripts/gateway.sh has filled it ({@code STAGEGATE_GATEWAY_API_CRDS} overrides). */
  public static Optional<Path> directory() {
    String configured = System.getenv("STAGEGATE_GATEWAY_API_CRDS");
    Path dir = configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".stagegate", "gateway-api-crds-" + VERSION);
    boolean complete = Files.isRegularFile(dir.resolve("gateway.networking.k8s.io_httproutes.yaml"))
        && Files.isRegularFile(dir.resolve("gateway.networking.k8s.io_gateways.yaml"));
    return complete ? Optional.of(dir) : Optional.empty();
  }

  /** Applies every CRD in {@code dir} and waits until the API server serves them; returns their names. */
  public static List<String> install(KubernetesClient client, Path dir) {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata item : client.load(in).items()) {
            if (item instanceof CustomResourceDefinition crd) {
              client.resource(crd).fieldManager("stagegate-sandbox").forceConflicts().serverSideApply();
              names.add(crd.getMetadata().getName());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Gateway API CRDs in " + dir, e);
    }
    for (String name : names) {
      client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
          crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
          60, TimeUnit.SECONDS);
    }
    return names;
  }
}
