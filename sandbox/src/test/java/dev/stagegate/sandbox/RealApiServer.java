package dev.stagegate.sandbox;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real kube-apiserver + etcd (no controllers) from io.fabric8:kube-api-test, offline, with the binaries
 * scripts/control-plane.sh builds into ~/.kubeapitest/k8s/&lt;version&gt;-linux-amd64. Without them the tier fails
 * under CI=true and is skipped elsewhere, like the operator's RealComponent.
 */
final class RealApiServer implements AutoCloseable {
  private final KubeAPIServer server;
  final KubernetesClient client;

  private RealApiServer(KubeAPIServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  static RealApiServer start() {
    requireBinaries();
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true)
        .withStartupTimeout(180_000)
        .build());
    server.start();
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
    return new RealApiServer(server, client);
  }

  /** The kubeconfig (with the server's credentials) for a child process such as the gateway. */
  String kubeconfigYaml() {
    return server.getKubeConfigYaml();
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }

  private static void requireBinaries() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    Path k8s = Path.of(configured != null ? configured : System.getProperty("user.home") + "/.kubeapitest", "k8s");
    boolean present;
    try (Stream<Path> versions = Files.isDirectory(k8s) ? Files.list(k8s) : Stream.empty()) {
      present = versions.anyMatch(v -> Files.isExecutable(v.resolve("kube-apiserver"))
          && Files.isExecutable(v.resolve("etcd")) && Files.isExecutable(v.resolve("kubectl")));
    } catch (IOException e) {
      present = false;
    }
    String message = "no kube-apiserver/etcd/kubectl under " + k8s + " (run scripts/control-plane.sh)";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.assertTrue(present, message);
    }
    Assumptions.assumeTrue(present, message);
  }
}
