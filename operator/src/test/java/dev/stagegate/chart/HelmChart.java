package dev.stagegate.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The chart under helm/stagegate, driven through the real helm binary: what `helm template` renders
 * (parsed into one JSON tree per object) and what `helm lint` says.
 */
final class HelmChart {
  static final String RELEASE = "stagegate";
  static final String NAMESPACE = "stagegate-system";
  static final ObjectMapper YAML = new YAMLMapper();

  /** Every optional part on, as a reviewer would try it. */
  static final List<String> ALL_ON = List.of(
      "replicas=2",
      "serviceMonitor.enabled=true",
      "serviceMonitor.labels.release=kube-prometheus-stack",
      "serviceMonitor.interval=15s",
      "serviceMonitor.scrapeTimeout=5s",
      "prometheusRule.enabled=true",
      "prometheusRule.labels.release=kube-prometheus-stack",
      "dashboard.enabled=true",
      "dashboard.annotations.grafana_folder=Stagegate",
      "prometheus.authSecret=prometheus-credentials",
      "logFormat=json",
      "logLevel=DEBUG");

  private HelmChart() {}

  static Path dir() {
    return RepoPaths.root().resolve("helm/stagegate");
  }

  /** Result of one helm run. */
  record Run(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  static Run helm(List<String> args) {
    return helm(args, null);
  }

  /** helm against the cluster of {@code kubeconfig}; without one, helm sees no cluster at all. */
  static Run helm(List<String> args, Path kubeconfig) {
    Path helm = RealComponent.helm();
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(args);
    Path home = null;
    try {
      home = java.nio.file.Files.createTempDirectory("helm-home");
      ProcessBuilder builder = new ProcessBuilder(command);
      // Keep helm away from the user's config, caches and any cluster: template and lint need none.
      builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      builder.environment().put("KUBECONFIG",
          kubeconfig != null ? kubeconfig.toString() : home.resolve("no-kubeconfig").toString());
      Path out = home.resolve("stdout");
      Path err = home.resolve("stderr");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm " + args + " did not finish in 60 s");
      }
      return new Run(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
          java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteTree(home);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = java.nio.file.Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is not worth failing a test for
    }
  }

  static List<String> setFlags(List<String> sets) {
    List<String> args = new ArrayList<>();
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return args;
  }

  /** `helm template`, which must succeed; one tree per rendered object. */
  static Rendered template(List<String> sets) {
    Run run = templateRun(sets);
    if (run.exitCode() != 0) {
      throw new AssertionError("helm template " + sets + " failed (exit " + run.exitCode() + "):\n" + run.output());
    }
    return new Rendered(parseDocuments(run.stdout()));
  }

  static Run templateRun(List<String> sets) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, dir().toString(), "--namespace", NAMESPACE));
    args.addAll(setFlags(sets));
    return helm(args);
  }

  static Run lint(List<String> sets) {
    List<String> args = new ArrayList<>(List.of("lint", "--strict", dir().toString(), "--namespace", NAMESPACE));
    args.addAll(setFlags(sets));
    return helm(args);
  }

  static List<JsonNode> parseDocuments(String yaml) {
    try (var parser = new YAMLFactory().createParser(yaml)) {
      List<JsonNode> docs = new ArrayList<>();
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.size() > 0) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("helm rendered YAML that does not parse", e);
    }
  }

  /** The objects `helm template` rendered. */
  record Rendered(List<JsonNode> objects) {
    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
      return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    JsonNode one(String kind) {
      List<JsonNode> found = ofKind(kind);
      if (found.size() != 1) {
        throw new AssertionError("expected exactly one " + kind + ", rendered " + found.size());
      }
      return found.get(0);
    }

    JsonNode operatorContainer() {
      return one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    }

    Map<String, String> env() {
      Map<String, String> env = new java.util.LinkedHashMap<>();
      operatorContainer().path("env").forEach(e -> env.put(e.path("name").asText(),
          e.has("value") ? e.path("value").asText() : "<from " + e.path("valueFrom").fieldNames().next() + ">"));
      return env;
    }
  }

  static ObjectNode object() {
    return YAML.createObjectNode();
  }
}
