package dev.stagegate.demo;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real kube-apiserver + etcd that scripts/control-plane.sh builds into ~/.kubeapitest, started by kube-api-test
 * in offline mode (without it a missing binary becomes a download attempt).
 */
final class RealKubeApi implements KubeApi {
  /** Same default and override as scripts/control-plane.sh. */
  static final String K8S_VERSION =
      Optional.ofNullable(System.getenv("STAGEGATE_K8S_VERSION")).orElse("1.34.4").replaceFirst("^v", "");

  private final KubeAPIServer server;
  private final KubernetesClient client;

  private RealKubeApi(KubeAPIServer server) {
    this.server = server;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
  }

  static Path binaryFolder() {
    String dir = Optional.ofNullable(System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR))
        .orElse(Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString());
    return Path.of(dir, "k8s", K8S_VERSION + Utils.platformSuffix(new OSInfo()));
  }

  /** Whether etcd and kube-apiserver are built; the demo falls back to the mock server otherwise. */
  static boolean available() {
    Path dir = binaryFolder();
    return Files.isExecutable(dir.resolve("etcd")) && Files.isExecutable(dir.resolve("kube-apiserver"));
  }

  static RealKubeApi start() {
    Path binaries = binaryFolder();
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(binaries.getParent().getParent().toString())
        .withApiServerVersion(K8S_VERSION)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .build());
    try {
      server.start();
    } catch (RuntimeException e) {
      try {
        server.stop();
      } catch (RuntimeException ignored) {
        // it did not start; nothing more to stop
      }
      throw new SandboxException("kube-apiserver " + K8S_VERSION + " + etcd from " + binaries + " did not start: "
          + e.getMessage(), e);
    }
    return new RealKubeApi(server);
  }

  @Override
  public String description() {
    return "kube-apiserver " + K8S_VERSION + " + etcd (real, " + client.getMasterUrl() + ")";
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public boolean real() {
    return true;
  }

  @Override
  public Optional<Path> writeKubeconfig(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, server.getKubeConfigYaml());
      return Optional.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }
}
