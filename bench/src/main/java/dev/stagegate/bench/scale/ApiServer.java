package dev.stagegate.bench.scale;

import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server the operator talks to: the real kube-apiserver + etcd when scripts/control-plane.sh built them,
 * else the Fabric8 mock server in CRUD mode. Counts requests: the server's own total, and the benchmark's own
 * requests (creating resources, the fake kubelet and job runner), so the operator's share is the difference.
 */
final class ApiServer implements AutoCloseable {
  private final KubernetesMockServer mock;
  private final String kubeconfigYaml;
  private final KubernetesClient client;
  private final AtomicLong ownRequests = new AtomicLong();

  private ApiServer(KubernetesMockServer mock, String kubeconfigYaml) {
    this.mock = mock;
    this.kubeconfigYaml = kubeconfigYaml;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-count", new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            ownRequests.incrementAndGet();
          }
        })).build();
  }

  static ApiServer start(boolean forceMock) {
    boolean real = !forceMock && Files.isExecutable(RealApiServer.binaryFolder().resolve("kube-apiserver"))
        && Files.isExecutable(RealApiServer.binaryFolder().resolve("etcd"));
    if (real) {
      return new ApiServer(null, RealApiServer.kubeconfig());
    }
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    String url = "http://localhost:" + server.getPort();
    String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: " + url
        + "\ncontexts:\n- name: mock\n  context:\n    cluster: mock\n    user: mock\ncurrent-context: mock\n"
        + "users:\n- name: mock\n  user:\n    token: mock\n";
    return new ApiServer(server, yaml);
  }

  boolean real() {
    return mock == null;
  }

  String description() {
    return real() ? "kube-apiserver " + RealApiServer.K8S_VERSION + " + etcd" : "Fabric8 mock API server (CRUD)";
  }

  KubernetesClient client() {
    return client;
  }

  Path writeKubeconfig(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, kubeconfigYaml);
    return file;
  }

  /** Requests the server has answered so far, everyone's: apiserver_request_total, or the mock's count. */
  long serverRequests() {
    if (mock != null) {
      return mock.getRequestCount();
    }
    String text = client.raw("/metrics");
    ownRequests.decrementAndGet(); // reading the count is not part of the workload
    return Math.round(MetricsText.sum(MetricsText.parse(text), "apiserver_request_total"));
  }

  /** Requests this benchmark process has sent itself. */
  long ownRequests() {
    return ownRequests.get();
  }

  @Override
  public void close() {
    client.close();
    if (mock != null) {
      mock.destroy();
    }
  }
}
