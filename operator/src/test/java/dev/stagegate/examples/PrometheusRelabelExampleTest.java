package dev.stagegate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stagegate.sandbox.PortAllocator;
import dev.stagegate.testing.RealComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/prometheus-relabel.yaml through the real Prometheus relabeling. Debian's Prometheus is built
 * without Kubernetes service discovery, so the test hands the example's relabel_configs the labels
 * Kubernetes discovery would give two pods (one of a Release, one not) as static targets, and reads
 * the resulting target labels from Prometheus' own /api/v1/targets.
 */
@Tag("prometheus")
@Tag("tools")
class PrometheusRelabelExampleTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Map<String, String> RELEASE_POD = Map.of(
      "__meta_kubernetes_namespace", "shop",
      "__meta_kubernetes_pod_name", "checkout-5d8f7c9b-x2k4q",
      "__meta_kubernetes_pod_label_app", "checkout",
      "__meta_kubernetes_pod_label_stagegate_dev_revision", "5d8f7c9b",
      "__meta_kubernetes_pod_container_port_name", "http");
  private static final Map<String, String> OTHER_POD = Map.of(
      "__meta_kubernetes_namespace", "shop",
      "__meta_kubernetes_pod_name", "redis-0",
      "__meta_kubernetes_pod_label_app", "redis",
      "__meta_kubernetes_pod_container_port_name", "http");

  @TempDir
  Path dir;

  @Test
  @DisplayName("given the example's relabeling, when Prometheus discovers a Release pod and another pod, then it keeps only the Release pod, labelled with its revision, app, namespace and pod")
  void revisionLabelComesFromThePodLabel() throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, YAML.writeValueAsString(withDiscoveredPods(Examples.text("prometheus-relabel.yaml"))));
    assertThat(promtool("check", "config", config.toString())).contains("SUCCESS");

    int port = PortAllocator.freePort();
    Process prometheus = new ProcessBuilder(RealComponent.prometheus().toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      JsonNode targets = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptions().until(() -> targets(port), t -> t.path("activeTargets").size()
              + t.path("droppedTargets").size() == 2);
      assertThat(targets.path("activeTargets")).hasSize(1);
      JsonNode labels = targets.path("activeTargets").get(0).path("labels");
      assertThat(labels.path("revision").asText()).isEqualTo("5d8f7c9b");
      assertThat(labels.path("app").asText()).isEqualTo("checkout");
      assertThat(labels.path("namespace").asText()).isEqualTo("shop");
      assertThat(labels.path("pod").asText()).isEqualTo("checkout-5d8f7c9b-x2k4q");
      assertThat(targets.path("droppedTargets").get(0).path("discoveredLabels")
          .path("__meta_kubernetes_pod_name").asText()).isEqualTo("redis-0");
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The example with its Kubernetes discovery replaced by what that discovery would report for two pods. */
  private static JsonNode withDiscoveredPods(String example) throws Exception {
    JsonNode config = YAML.readTree(example);
    for (JsonNode job : config.path("scrape_configs")) {
      assertThat(job.has("kubernetes_sd_configs")).as("the example discovers pods").isTrue();
      ((ObjectNode) job).remove("kubernetes_sd_configs");
      ArrayNode statics = ((ObjectNode) job).putArray("static_configs");
      int target = 1;
      for (Map<String, String> pod : java.util.List.of(RELEASE_POD, OTHER_POD)) {
        ObjectNode group = statics.addObject();
        group.putArray("targets").add("127.0.0.1:" + target++);
        pod.forEach(group.putObject("labels")::put);
      }
    }
    return config;
  }

  private static JsonNode targets(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/v1/targets?state=any")).build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(response.body()).path("data");
  }

  private String promtool(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(RealComponent.promtool().toString()));
    command.addAll(java.util.List.of(args));
    Path out = dir.resolve("promtool.txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(out);
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
