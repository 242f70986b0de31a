package dev.stagegate.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Optional;

/**
 * The Fabric8 mock API server in CRUD mode: stores and watches any resource, validates nothing, runs no
 * controllers. Good enough for the operator; kubectl's discovery does not work against it.
 */
final class MockKubeApi implements KubeApi {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockKubeApi(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  static MockKubeApi start() {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    try {
      server.init();
    } catch (RuntimeException e) {
      throw new SandboxException("the Fabric8 mock API server did not start: " + e.getMessage(), e);
    }
    return new MockKubeApi(server);
  }

  @Override
  public String description() {
    return "Fabric8 mock API server in CRUD mode (" + client.getMasterUrl()
        + "; no kube-apiserver/etcd in " + RealKubeApi.binaryFolder() + ": `scripts/control-plane.sh` builds them)";
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean real() {
    return false;
  }

  @Override
  public Optional<Path> writeKubeconfig(Path file) {
    return Optional.empty();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
