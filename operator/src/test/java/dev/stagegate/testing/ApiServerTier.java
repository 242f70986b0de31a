package dev.stagegate.testing;

import dev.stagegate.OperatorSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's connection to the real kube-apiserver tier, registered as
 * {@code @RegisterExtension static final ApiServerTier apiServer = ApiServerTier.connect();}.
 *
 * <p>Before the class's tests it starts or joins the shared {@link RealApiServer} and connects a client: a missing
 * control plane fails the class under {@code CI=true} and skips it elsewhere ({@link RealComponent#require}).
 * Optionally it installs the generated CRDs and creates a namespace; after the class it closes the client.
 */
public final class ApiServerTier implements BeforeAllCallback, AfterAllCallback {
  private final boolean crds;
  private final String namespace;
  private KubernetesClient client;

  private ApiServerTier(boolean crds, String namespace) {
    this.crds = crds;
    this.namespace = namespace;
  }

  /** Only a client: the operator harness the class uses installs the CRDs itself. */
  public static ApiServerTier connect() {
    return new ApiServerTier(false, null);
  }

  /** A client and the generated CRDs installed, for classes that talk to the API server without a harness. */
  public static ApiServerTier withCrds() {
    return new ApiServerTier(true, null);
  }

  /** Also creates (or keeps) {@code name} before the class's tests. */
  public ApiServerTier withNamespace(String name) {
    return new ApiServerTier(crds, name);
  }

  /** The operator settings the real-API-server classes run with: status written with server-side apply. */
  public static OperatorSettings settings() {
    return OperatorSettings.forTests("http://unused").withServerSideApply(true);
  }

  /** The connected client; null before the class starts or when the tier was skipped. */
  public KubernetesClient client() {
    return client;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    client = RealApiServer.client();
    if (crds) {
      OperatorHarness.installCrds(client);
    }
    if (namespace != null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(r -> r.update());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
