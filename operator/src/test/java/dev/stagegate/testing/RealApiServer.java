package dev.stagegate.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One real kube-apiserver + etcd (built by scripts/control-plane.sh) shared by every `apiserver`
 * test in the JVM: starting one takes about ten seconds, so the tier starts it once and each test
 * class works in namespaces of its own.
 *
 * <p>Started by hand rather than with {@code @EnableKubeAPIServer}: kube-api-test 7.5.2 switches
 * offline mode on only through its config builder (its KUBE_API_TEST_OFFLINE_MODE variable fails
 * with a ClassCastException), and without offline mode a missing binary becomes a download attempt.
 */
public final class RealApiServer {
  /** Same default and override as scripts/control-plane.sh. */
  public static final String K8S_VERSION =
      Optional.ofNullable(System.getenv("STAGEGATE_K8S_VERSION")).orElse("1.34.4").replaceFirst("^v", "");

  private static KubeAPIServer server;

  private RealApiServer() {}

  /** The shared server's kubeconfig YAML; starts it on first use (fails in CI / skips elsewhere when missing). */
  public static synchronized String kubeconfig() {
    if (server == null) {
      Path binaries = binaryFolder();
      for (String binary : new String[] {"etcd", "kube-apiserver", "kubectl"}) {
        RealComponent.require(binary + " " + K8S_VERSION + " for kube-api-test",
            RealComponent.executable(binaries.resolve(binary)),
            "run `scripts/control-plane.sh` (builds it with Go into " + binaries + ")");
      }
      KubeAPIServer started = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
          .withTestDir(binaries.getParent().getParent().toString())
          .withApiServerVersion(K8S_VERSION)
          .withOfflineMode(true)
          .build());
      long t0 = System.nanoTime();
      started.start();
      System.out.printf("kube-apiserver %s and etcd ready in %d ms%n", K8S_VERSION,
          Duration.ofNanos(System.nanoTime() - t0).toMillis());
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-kube-apiserver"));
      server = started;
    }
    return server.getKubeConfigYaml();
  }

  /** A new client of the shared server (close it when done). */
  public static KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig())).build();
  }

  public static Path binaryFolder() {
    String dir = Optional.ofNullable(System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR))
        .orElse(Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString());
    return Path.of(dir, "k8s", K8S_VERSION + Utils.platformSuffix(new OSInfo()));
  }
}
