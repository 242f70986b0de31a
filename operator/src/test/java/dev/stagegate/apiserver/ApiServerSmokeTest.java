package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.testing.RealComponent;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves the real kube-apiserver + etcd built by {@code scripts/control-plane.sh} start and
 * behave like a cluster: objects persist, and server-side apply tracks field ownership.
 *
 * <p>The server is started by hand rather than with {@code @EnableKubeAPIServer}: kube-api-test
 * 7.5.2 can only switch offline mode on through its config builder (the annotation has no such
 * attribute, and its {@code KUBE_API_TEST_OFFLINE_MODE} variable fails with a ClassCastException),
 * and without offline mode a missing binary turns into a download attempt instead of a clear
 * skip (or a CI failure).
 */
@Tag("apiserver")
@DisplayName("A real Kubernetes API server")
class ApiServerSmokeTest {

  /** Same default and override as scripts/control-plane.sh. */
  private static final String K8S_VERSION =
      Optional.ofNullable(System.getenv("STAGEGATE_K8S_VERSION")).orElse("1.34.4").replaceFirst("^v", "");

  private static KubeAPIServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void startApiServer() {
    Path binaries = binaryFolder();
    for (String binary : new String[] {"etcd", "kube-apiserver", "kubectl"}) {
      RealComponent.require(binary + " " + K8S_VERSION + " for kube-api-test",
          RealComponent.executable(binaries.resolve(binary)),
          "run `scripts/control-plane.sh` (builds it with Go into " + binaries + ")");
    }
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(binaries.getParent().getParent().toString())
        .withApiServerVersion(K8S_VERSION)
        .withOfflineMode(true)
        .build());
    long started = System.nanoTime();
    server.start();
    System.out.printf("kube-apiserver %s and etcd ready in %d ms%n", K8S_VERSION,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
        .build();
  }

  @AfterAll
  static void stopApiServer() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  @DisplayName("stores a namespace and a ConfigMap and reads them back")
  void storesAndReadsBack() {
    // given
    client.namespaces().resource(namespace("smoke-crud")).create();

    // when
    client.configMaps().inNamespace("smoke-crud").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata()
        .withData(Map.of("stage", "canary"))
        .build()).create();

    // then
    Namespace namespace = client.namespaces().withName("smoke-crud").get();
    assertThat(namespace.getMetadata().getUid()).isNotBlank();
    assertThat(namespace.getStatus().getPhase()).isEqualTo("Active");
    ConfigMap stored = client.configMaps().inNamespace("smoke-crud").withName("settings").get();
    assertThat(stored.getData()).containsExactly(Map.entry("stage", "canary"));
    assertThat(stored.getMetadata().getResourceVersion()).isNotBlank();
  }

  @Test
  @DisplayName("server-side apply records the field manager and guards its fields from other managers")
  void serverSideApplyTracksOwnership() {
    // given
    client.namespaces().resource(namespace("smoke-apply")).create();
    ConfigMap desired = new ConfigMapBuilder()
        .withNewMetadata().withName("rollout").withNamespace("smoke-apply").endMetadata()
        .withData(Map.of("stage", "canary", "weight", "10"))
        .build();

    // when
    ConfigMap applied = client.configMaps().inNamespace("smoke-apply").resource(desired)
        .fieldManager("stagegate").serverSideApply();

    // then the server names stagegate as the Apply manager of both keys
    assertThat(applied.getData()).containsEntry("stage", "canary").containsEntry("weight", "10");
    ManagedFieldsEntry entry = applied.getMetadata().getManagedFields().stream()
        .filter(managed -> "stagegate".equals(managed.getManager()))
        .findFirst().orElseThrow();
    assertThat(entry.getOperation()).isEqualTo("Apply");
    assertThat(entry.getFieldsV1().getAdditionalProperties().toString())
        .contains("f:stage").contains("f:weight");

    // and another manager cannot take a field stagegate owns without forcing
    ConfigMap rival = new ConfigMapBuilder(desired).withData(Map.of("weight", "50")).build();
    assertThatThrownBy(() -> client.configMaps().inNamespace("smoke-apply").resource(rival)
        .fieldManager("someone-else").serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class,
            conflict -> assertThat(conflict.getCode()).isEqualTo(409));

    // and a second apply by stagegate without "weight" removes the key it alone owned
    ConfigMap reapplied = client.configMaps().inNamespace("smoke-apply")
        .resource(new ConfigMapBuilder(desired).withData(Map.of("stage", "full")).build())
        .fieldManager("stagegate").serverSideApply();
    assertThat(reapplied.getData()).containsExactly(Map.entry("stage", "full"));
  }

  private static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  /** Where kube-api-test looks: <dir>/k8s/<version>-<os>-<arch>, dir from KUBE_API_TEST_DIR. */
  private static Path binaryFolder() {
    String dir = Optional.ofNullable(System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR))
        .orElse(Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString());
    return Path.of(dir, "k8s", K8S_VERSION + Utils.platformSuffix(new OSInfo()));
  }
}
