package dev.stagegate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Traefik v3.6.12 (built by scripts/gateway.sh) run out of cluster against the test's kube-apiserver with
 * its Gateway API provider: it reads GatewayClasses, Gateways, HTTPRoutes, Services and EndpointSlices, writes route
 * status, and proxies on 127.0.0.1 to the pod addresses in the slices. Its API and Prometheus metrics listen on a
 * second loopback port.
 */
public final class TraefikGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TraefikGateway.class);
  public static final String CONTROLLER_NAME = "traefik.io/gateway-controller";
  public static final String VERSION = "v3.6.12";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  /** Free-port races with other test JVMs are retried; any other start failure is not. */
  private static final int START_ATTEMPTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path workDir;
  private final int webPort;
  private final int adminPort;
  private boolean closed;

  private TraefikGateway(Process process, Path workDir, int webPort, int adminPort) {
    this.process = process;
    this.workDir = workDir;
    this.webPort = webPort;
    this.adminPort = adminPort;
  }

  /**
   * The binary: {@code -Dstagegate.traefik} or {@code STAGEGATE_TRAEFIK}, else {@code traefik-v3.6.12} in
   * {@code STAGEGATE_BIN} (default {@code ~/.stagegate/bin}, where scripts/gateway.sh puts it).
   */
  public static Optional<Path> binary() {
    String configured = System.getProperty("stagegate.traefik", System.getenv("STAGEGATE_TRAEFIK"));
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String binDir = System.getenv("STAGEGATE_BIN");
    Path dir = binDir != null && !binDir.isBlank()
        ? Path.of(binDir)
        : Path.of(System.getProperty("user.home"), ".stagegate", "bin");
    return Optional.of(dir.resolve("traefik-" + VERSION)).filter(Files::isExecutable);
  }

  public static Builder builder(Path binary, String kubeconfigYaml) {
    return new Builder(binary, kubeconfigYaml);
  }

  public int webPort() {
    return webPort;
  }

  public URI webUri() {
    return URI.create("http://127.0.0.1:" + webPort);
  }

  public URI metricsUri() {
    return URI.create("http://127.0.0.1:" + adminPort + "/metrics");
  }

  public String metricsHostPort() {
    return "127.0.0.1:" + adminPort;
  }

  /** Traefik's own Prometheus exposition text (e.g. traefik_service_requests_total per service and code). */
  public String metrics() {
    return get(metricsUri()).body();
  }

  /** The weights Traefik is routing with right now: weighted service name to its children's weights. */
  public Map<String, Map<String, Integer>> appliedWeights() {
    URI uri = URI.create("http://127.0.0.1:" + adminPort + "/api/http/services?per_page=1000");
    Map<String, Map<String, Integer>> weights = new TreeMap<>();
    try {
      for (JsonNode service : JSON.readTree(get(uri).body())) {
        JsonNode children = service.path("weighted").path("services");
        if (!children.isArray()) {
          continue;
        }
        Map<String, Integer> byChild = new LinkedHashMap<>();
        children.forEach(c -> byChild.put(c.path("name").asText(), c.path("weight").asInt(1)));
        weights.put(service.path("name").asText(), byChild);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer from " + uri, e);
    }
    return weights;
  }

  /** The server URLs Traefik balances {@code service} (see {@link #serviceName}) over; empty when unknown. */
  public List<String> appliedServers(String service) {
    URI uri = URI.create("http://127.0.0.1:" + adminPort + "/api/http/services/" + service + "@kubernetesgateway");
    HttpResponse<String> response = get(uri);
    if (response.statusCode() == 404) {
      return List.of();
    }
    List<String> servers = new ArrayList<>();
    try {
      JSON.readTree(response.body()).path("loadBalancer").path("servers")
          .forEach(server -> servers.add(server.path("url").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer from " + uri, e);
    }
    return servers;
  }

  /** How Traefik's Gateway provider names the service of a backendRef (namespace-service-http-port). */
  public static String serviceName(String namespace, String service, int port) {
    return Arrays.stream((namespace + "-" + service + "-http-" + port).split("[^\\p{L}\\p{N}]+"))
        .filter(part -> !part.isEmpty())
        .collect(Collectors.joining("-"));
  }

  public Path logFile() {
    return workDir.resolve("traefik.log");
  }

  public String logTail(int lines) {
    return tail(logFile(), lines);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(process);
    deleteRecursively(workDir);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static HttpResponse<String> get(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + uri, e);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", dir, e.toString());
    }
  }

  public static final class Builder {
    private final Path binary;
    private final String kubeconfigYaml;
    private Duration providersThrottle = Duration.ofSeconds(2);
    private String logLevel = "INFO";
    private final List<String> extraArguments = new ArrayList<>();

    private Builder(Path binary, String kubeconfigYaml) {
      this.binary = Objects.requireNonNull(binary, "binary");
      this.kubeconfigYaml = Objects.requireNonNull(kubeconfigYaml, "kubeconfigYaml");
    }

    /** How long Traefik batches provider events before it rebuilds its routing (Traefik's default is 2 s). */
    public Builder providersThrottle(Duration throttle) {
      this.providersThrottle = Objects.requireNonNull(throttle);
      return this;
    }

    public Builder logLevel(String level) {
      this.logLevel = Objects.requireNonNull(level);
      return this;
    }

    public Builder argument(String argument) {
      extraArguments.add(argument);
      return this;
    }

    public TraefikGateway start() {
      Path workDir;
      try {
        // The kubeconfig holds the API server's credentials: readable by us only, deleted on close.
        workDir = Files.createTempDirectory("stagegate-traefik-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path kubeconfig = Files.createFile(workDir.resolve("kubeconfig"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(kubeconfig, kubeconfigYaml, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare Traefik's folder", e);
      }
      RuntimeException failure = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        int webPort = PortAllocator.freePort();
        int adminPort = PortAllocator.freePort();
        Process process = launch(workDir, webPort, adminPort);
        try {
          awaitPing(process, adminPort);
          log.info("Traefik {} (pid {}) routing on 127.0.0.1:{}, metrics on 127.0.0.1:{}, log {}",
              VERSION, process.pid(), webPort, adminPort, workDir.resolve("traefik.log"));
          return new TraefikGateway(process, workDir, webPort, adminPort);
        } catch (IllegalStateException e) {
          stop(process);
          failure = e;
          if (!tail(workDir.resolve("traefik.log"), 50).contains("address already in use")) {
            break;
          }
        }
      }
      String lastLines = tail(workDir.resolve("traefik.log"), 30);
      deleteRecursively(workDir);
      throw new IllegalStateException(failure.getMessage() + "; the end of its log:\n" + lastLines, failure);
    }

    private Process launch(Path workDir, int webPort, int adminPort) {
      List<String> command = new ArrayList<>(List.of(binary.toString(),
          "--global.checkNewVersion=false",
          "--global.sendAnonymousUsage=false",
          "--entryPoints.web.address=127.0.0.1:" + webPort,
          "--entryPoints.web.transport.lifeCycle.graceTimeOut=1s",
          "--entryPoints.traefik.address=127.0.0.1:" + adminPort,
          "--entryPoints.traefik.transport.lifeCycle.graceTimeOut=1s",
          "--api=true",
          "--api.insecure=true",
          "--api.dashboard=false",
          "--ping=true",
          "--ping.entryPoint=traefik",
          "--metrics.prometheus=true",
          "--metrics.prometheus.entryPoint=traefik",
          "--metrics.prometheus.addEntryPointsLabels=true",
          "--metrics.prometheus.addRoutersLabels=true",
          "--metrics.prometheus.addServicesLabels=true",
          "--providers.kubernetesgateway=true",
          // Out of cluster there is no LoadBalancer Service to report: the Gateway's address is loopback.
          "--providers.kubernetesgateway.statusAddress.ip=127.0.0.1",
          "--providers.providersThrottleDuration=" + providersThrottle.toMillis() + "ms",
          "--log.level=" + logLevel,
          "--log.noColor=true"));
      command.addAll(extraArguments);
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("traefik.log").toFile()));
      // Traefik prefers in-cluster config when these are set; here it must use the test's kubeconfig.
      Map<String, String> env = pb.environment();
      env.remove("KUBERNETES_SERVICE_HOST");
      env.remove("KUBERNETES_SERVICE_PORT");
      env.put("KUBECONFIG", workDir.resolve("kubeconfig").toString());
      try {
        return pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + binary, e);
      }
    }

    private static void awaitPing(Process process, int adminPort) {
      URI ping = URI.create("http://127.0.0.1:" + adminPort + "/ping");
      Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Traefik exited with " + process.exitValue() + " while starting");
        }
        try {
          if (get(ping).statusCode() == 200) {
            return;
          }
        } catch (UncheckedIOException notListeningYet) {
          // keep polling until the deadline
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted waiting for Traefik", e);
        }
      }
      throw new IllegalStateException("Traefik did not answer " + ping + " within " + STARTUP_TIMEOUT);
    }
  }
}
