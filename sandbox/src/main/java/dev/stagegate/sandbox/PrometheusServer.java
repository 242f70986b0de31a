package dev.stagegate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.sandbox.PrometheusConfigFile.ScrapeJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus, run as a child process on a loopback port with its config, rules, TSDB and log in a temporary
 * directory. Tests need the real query engine (staleness, rate() extrapolation, empty results) and a real outage:
 * {@link #stop()} or {@link #kill()} and a later {@link #start()} bring it back on the same port with the same data,
 * the way a Prometheus restarts in a cluster.
 *
 * <pre>{@code
 * try (var prometheus = new PrometheusServer(Path.of("/usr/bin/prometheus"))
 *     .scrapeInterval(Duration.ofSeconds(1))
 *     .scrapeJob("shop", List.of(app.hostPort()), Map.of("namespace", "demo"))
 *     .start()) {
 *   prometheus.awaitScraped("http_requests_total", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrometheusServer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 30;
  private static final int PORT_ATTEMPTS = 3;

  /** One element of a query result: a series' labels and its value (scalar results have no labels). */
  public record Sample(Map<String, String> labels, double value) {}

  private final Path binary;
  private final Path directory;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<ScrapeJob> scrapeJobs = new ArrayList<>();
  private final List<String> ruleFiles = new ArrayList<>();
  private Duration scrapeInterval = Duration.ofSeconds(1);
  private Duration evaluationInterval = Duration.ofSeconds(1);
  private Duration startTimeout = Duration.ofSeconds(60);

  private int port;
  private Process process;
  private Thread killOnExit;

  /** @param binary the prometheus executable (Debian: /usr/bin/prometheus) */
  public PrometheusServer(Path binary) {
    this.binary = Objects.requireNonNull(binary, "binary");
    try {
      this.directory = Files.createTempDirectory("stagegate-prometheus-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for Prometheus", e);
    }
  }

  /** Default 1 s: tests want data within seconds, not the production 15-60 s. */
  public synchronized PrometheusServer scrapeInterval(Duration interval) {
    this.scrapeInterval = interval;
    return this;
  }

  /** How often rule files are evaluated (default 1 s). */
  public synchronized PrometheusServer evaluationInterval(Duration interval) {
    this.evaluationInterval = interval;
    return this;
  }

  /** How long {@link #start()} waits for {@code /-/ready} (default 60 s; a large WAL replays slowly). */
  public synchronized PrometheusServer startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Scrapes {@code targets} ("host:port", path /metrics) as job {@code jobName}, adding {@code labels} to every
   * series; a job of the same name is replaced (an app restarted on another port). Takes effect at once (by
   * reload) when Prometheus is running.
   */
  public synchronized PrometheusServer scrapeJob(String jobName, List<String> targets, Map<String, String> labels) {
    scrapeJobs.removeIf(job -> job.name().equals(jobName));
    scrapeJobs.add(new ScrapeJob(jobName, targets, labels));
    applyIfRunning();
    return this;
  }

  /**
   * Scrapes every pod of {@code app} as its own target (its own path, label {@code pod}), so each pod is scraped at
   * its own offset within the scrape interval, as in a cluster. Replaces a job of the same name.
   */
  public synchronized PrometheusServer scrapePods(String jobName, RevisionMetricsApp app, Map<String, String> labels) {
    List<PrometheusConfigFile.TargetGroup> groups = new ArrayList<>();
    for (RevisionMetricsApp.PodTarget pod : app.podTargets()) {
      Map<String, String> podLabels = new LinkedHashMap<>(labels);
      podLabels.put("__metrics_path__", pod.metricsPath());
      podLabels.put("pod", pod.pod());
      groups.add(new PrometheusConfigFile.TargetGroup(List.of(pod.hostPort()), podLabels));
    }
    scrapeJobs.removeIf(job -> job.name().equals(jobName));
    scrapeJobs.add(new ScrapeJob(jobName, groups));
    applyIfRunning();
    return this;
  }

  /** Adds a rule file (Prometheus rules YAML) under the given file name. Takes effect at once when running. */
  public synchronized PrometheusServer ruleFile(String fileName, String rulesYaml) {
    Path file = directory.resolve("rules").resolve(fileName);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, rulesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rule file " + file, e);
    }
    if (!ruleFiles.contains(file.toString())) {
      ruleFiles.add(file.toString());
    }
    applyIfRunning();
    return this;
  }

  /**
   * Starts Prometheus and waits until it answers {@code /-/ready}. The first start picks a free port; later starts
   * reuse it and the stored data.
   *
   * @throws IllegalStateException if it exits or is not ready in time; the message ends with the log's tail
   */
  public synchronized PrometheusServer start() {
    if (isRunning()) {
      throw new IllegalStateException("Prometheus is already running at " + url());
    }
    writeConfig();
    boolean firstStart = port == 0;
    for (int attempt = 1; ; attempt++) {
      if (firstStart) {
        port = PortAllocator.freePort();
      }
      launch();
      try {
        awaitReady();
        log.info("Prometheus ready at {} (data in {})", url(), directory);
        return this;
      } catch (IllegalStateException e) {
        boolean portTaken = logTail().contains("address already in use");
        destroy(Duration.ZERO);
        if (!(firstStart && portTaken && attempt < PORT_ATTEMPTS)) {
          throw e;
        }
      }
    }
  }

  /** Stops Prometheus as a pod termination would (SIGTERM, then SIGKILL after 10 s). Data stays for a restart. */
  public synchronized void stop() {
    destroy(GRACEFUL_STOP);
  }

  /** Kills Prometheus without warning (SIGKILL), as a crash or OOM kill would; a restart replays its WAL. */
  public synchronized void kill() {
    destroy(Duration.ZERO);
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Base URL, e.g. {@code http://127.0.0.1:39091}; stable across restarts. */
  public synchronized String url() {
    if (port == 0) {
      throw new IllegalStateException("Prometheus was never started");
    }
    return "http://127.0.0.1:" + port;
  }

  /** The directory with prometheus.yml, rules/, data/ and prometheus.log; deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  public Path logFile() {
    return directory.resolve("prometheus.log");
  }

  /** Tells a running Prometheus to re-read its config and rule files. */
  public synchronized void reload() {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Prometheus rejected the reload (" + response.statusCode() + "): "
          + response.body() + "\n" + logTail());
    }
  }

  /**
   * Runs an instant query. Vector results give one sample per series; a scalar gives one sample without labels.
   *
   * @throws IllegalStateException when Prometheus is unreachable or answers with an error
   */
  public List<Sample> query(String promql) {
    String uri = url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(uri)).build());
    JsonNode body = parse(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " failed (" + response.statusCode() + "): "
          + body.path("error").asText(response.body()));
    }
    JsonNode data = body.path("data");
    List<Sample> samples = new ArrayList<>();
    switch (data.path("resultType").asText()) {
      case "vector" -> data.path("result").forEach(r -> samples.add(new Sample(labels(r.path("metric")),
          Double.parseDouble(r.path("value").get(1).asText()))));
      case "scalar" -> samples.add(new Sample(Map.of(), Double.parseDouble(data.path("result").get(1).asText())));
      default -> throw new IllegalStateException("query " + promql + " gave a " + data.path("resultType").asText()
          + " result; only instant vectors and scalars are supported");
    }
    return samples;
  }

  /**
   * Waits until at least one series of {@code metricName} (or any PromQL selector) is in Prometheus.
   *
   * @throws IllegalStateException on timeout, with the scrape targets' health and the log's tail
   */
  public void awaitScraped(String metricName, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "no series yet";
    while (System.nanoTime() < deadline) {
      try {
        if (!query(metricName).isEmpty()) {
          return;
        }
      } catch (IllegalStateException e) {
        lastProblem = e.getMessage();
      }
      sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException("no series of " + metricName + " after " + timeout + " (" + lastProblem
        + "); targets: " + targetsHealth() + "\n" + logTail());
  }

  /** Stops Prometheus and deletes its directory. */
  @Override
  public synchronized void close() {
    destroy(GRACEFUL_STOP);
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", directory, e.toString());
    }
  }

  private void launch() {
    ProcessBuilder builder = new ProcessBuilder(
        binary.toString(),
        "--config.file=" + directory.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + directory.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle")
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    }
    // A test that forgets close() must not leave a Prometheus behind when the JVM exits.
    Process started = process;
    killOnExit = new Thread(started::destroyForcibly, "prometheus-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    URI ready = URI.create(url() + "/-/ready");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Prometheus exited with code " + process.exitValue() + " before it was ready\n"
            + logTail());
      }
      try {
        if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Prometheus", e);
      }
      sleep(POLL);
    }
    throw new IllegalStateException("Prometheus not ready at " + ready + " after " + startTimeout + "\n" + logTail());
  }

  private void destroy(Duration grace) {
    if (process == null) {
      return;
    }
    try {
      if (grace.isZero()) {
        process.destroyForcibly();
      } else {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      }
      process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException jvmExiting) {
        // the hook runs anyway
      }
      process = null;
    }
  }

  private void writeConfig() {
    String yaml = PrometheusConfigFile.render(scrapeInterval, evaluationInterval, scrapeJobs, ruleFiles);
    try {
      Files.writeString(directory.resolve("prometheus.yml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write prometheus.yml", e);
    }
  }

  private void applyIfRunning() {
    if (isRunning()) {
      writeConfig();
      reload();
    }
  }

  private String targetsHealth() {
    try {
      JsonNode targets = parse(send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/targets")).build()).body());
      List<String> health = new ArrayList<>();
      targets.path("data").path("activeTargets").forEach(t -> health.add(t.path("scrapeUrl").asText() + " "
          + t.path("health").asText() + (t.path("lastError").asText().isEmpty() ? "" : " " + t.path("lastError").asText())));
      return health.toString();
    } catch (RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** The last lines of the log, for exception messages: why it did not start is nearly always in there. */
  String logTail() {
    try {
      if (!Files.exists(logFile())) {
        return "(no Prometheus log)";
      }
      List<String> lines = Files.readAllLines(logFile());
      return "--- last lines of " + logFile() + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IllegalStateException("Prometheus at " + request.uri().getAuthority() + " is not reachable", e);
    } catch (IOException e) {
      throw new IllegalStateException("request to Prometheus failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to Prometheus", e);
    }
  }

  private JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus answered something that is not JSON: " + body, e);
    }
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new LinkedHashMap<>();
    metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
