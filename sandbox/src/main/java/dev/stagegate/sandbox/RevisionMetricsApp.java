package dev.stagegate.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An application with several revisions behind one Service, seen only through its Prometheus metrics: what a
 * canary analysis reads. It serves {@code /metrics} with
 * {@code http_requests_total{app,revision,code="200"|"500"}} and the histogram
 * {@code http_request_duration_seconds{app,revision}} ({@code _bucket{le}}, {@code _sum}, {@code _count}).
 *
 * <p>Requests are not served but counted: every tick draws how many arrived per revision, which of them failed
 * and how long each took. Traffic is split by ready pods per revision ({@link #setTraffic}), like a Service spreads
 * it over endpoints; error rate and mean latency are per revision and can change at runtime; a shared incident
 * adds errors to every revision, the case a canary analysis must not blame on the canary.
 *
 * <p>Each ready pod also serves its own counters at {@code /pods/<pod>/metrics} ({@link #podTargets()}), one scrape
 * target per pod as in a cluster: Prometheus scrapes each at its own offset, and {@link #restartPod} starts a pod's
 * counters over from zero. Requests go round-robin over a revision's pods.
 *
 * <p>{@link #start()} runs ticks in real time; {@link #simulate(Duration)} advances time at once, which with a
 * fixed seed gives the same counts every run.
 */
public final class RevisionMetricsApp implements AutoCloseable {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** A long pause (GC, suspended VM) is not made up for with a burst larger than this. */
  private static final double MAX_TICK_SECONDS = 10;
  private static final String POD_PATH = "/pods/";

  private final String app;
  private final Duration tick;
  private final double latencySigma;
  private final Duration[] buckets;
  private final RevisionBehaviour defaultBehaviour;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TrafficSampler sampler;

  private final Map<String, RevisionBehaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Map<String, Integer> nextPodByRevision = new ConcurrentHashMap<>();
  private volatile Map<String, Integer> readyPodsByRevision;
  private volatile double requestsPerSecond;
  private volatile double incidentErrorRate;

  private HttpServer server;
  private ScheduledExecutorService ticker;

  /** How one revision behaves. */
  private record RevisionBehaviour(double errorRate, Duration meanLatency) {}

  private record Meters(Counter ok, Counter failed, Timer duration) {}

  /** A pod with its own registry: its counters start at zero when it (re)starts, like a real process. */
  private record Pod(String name, String revision, PrometheusMeterRegistry registry, Meters meters) {}

  /** Where Prometheus scrapes one pod: {@code hostPort} with path {@code metricsPath}. */
  public record PodTarget(String pod, String revision, String hostPort, String metricsPath) {}

  private RevisionMetricsApp(Builder b) {
    this.app = b.app;
    this.tick = b.tick;
    this.latencySigma = b.latencySigma;
    this.buckets = b.buckets;
    this.defaultBehaviour = new RevisionBehaviour(b.defaultErrorRate, b.defaultLatency);
    this.sampler = new TrafficSampler(b.seed);
    this.requestsPerSecond = b.requestsPerSecond;
    this.behaviours.putAll(b.behaviours);
    this.readyPodsByRevision = Map.of();
    b.behaviours.keySet().forEach(this::metersFor);
    setTraffic(b.traffic);
  }

  public static Builder builder(String app) {
    return new Builder(app);
  }

  /** Serves {@code /metrics} on a free loopback port and starts generating traffic in real time. */
  public synchronized RevisionMetricsApp start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the metrics port", e);
    }
    server.createContext("/metrics", this::serveMetrics);
    server.createContext(POD_PATH, this::servePodMetrics);
    server.setExecutor(Executors.newSingleThreadExecutor(Threads.daemon("metrics-app-http")));
    server.start();
    ticker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("metrics-app-traffic"));
    long[] last = {System.nanoTime()};
    ticker.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      advance(Math.min(MAX_TICK_SECONDS, (now - last[0]) / 1e9));
      last[0] = now;
    }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://" + hostPort();
  }

  public String metricsUrl() {
    return url() + "/metrics";
  }

  /** {@code 127.0.0.1:port}, as a Prometheus static target. */
  public String hostPort() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Splits traffic by ready pods per revision, as a Service would; revisions not in the map get none, and with no
   * ready pod at all no request arrives.
   */
  public void setTraffic(Map<String, Integer> readyPodsByRevision) {
    Map<String, Integer> copy = new TreeMap<>(readyPodsByRevision);
    copy.values().removeIf(pods -> pods == null || pods <= 0);
    copy.keySet().forEach(this::metersFor);
    copy.forEach((revision, count) -> {
      for (int i = 0; i < count; i++) {
        pods.computeIfAbsent(podName(revision, i), name -> newPod(name, revision));
      }
    });
    this.readyPodsByRevision = Map.copyOf(copy);
  }

  /** One scrape target per pod known so far (pods are kept after scaling down, as their last scrape would be). */
  public List<PodTarget> podTargets() {
    String hostPort = hostPort();
    return pods.values().stream()
        .sorted(Comparator.comparing(Pod::name))
        .map(p -> new PodTarget(p.name(), p.revision(), hostPort, POD_PATH + p.name() + "/metrics"))
        .toList();
  }

  public List<String> podNames() {
    return pods.keySet().stream().sorted().toList();
  }

  /** The pod's process restarts: its counters start over from zero, as Prometheus sees after a container restart. */
  public void restartPod(String pod) {
    synchronized (sampler) {
      Pod old = pods.get(pod);
      if (old == null) {
        throw new IllegalArgumentException("no pod " + pod + "; pods: " + podNames());
      }
      pods.put(pod, newPod(pod, old.revision()));
      old.registry().close();
    }
  }

  /** Requests counted by one pod since its last (re)start, for a status code ("200" or "500"). */
  public double podRequests(String pod, String code) {
    Pod p = pods.get(pod);
    if (p == null) {
      return 0;
    }
    return "500".equals(code) ? p.meters().failed().count() : p.meters().ok().count();
  }

  public void setRequestsPerSecond(double requestsPerSecond) {
    if (requestsPerSecond < 0) {
      throw new IllegalArgumentException("requestsPerSecond must not be negative");
    }
    this.requestsPerSecond = requestsPerSecond;
  }

  /** Fraction of this revision's requests answered with 500, e.g. 0.08. */
  public void setErrorRate(String revision, double errorRate) {
    checkRate(errorRate);
    behaviours.merge(revision, new RevisionBehaviour(errorRate, defaultBehaviour.meanLatency()),
        (old, ignored) -> new RevisionBehaviour(errorRate, old.meanLatency()));
    metersFor(revision);
  }

  public void setLatency(String revision, Duration meanLatency) {
    checkLatency(meanLatency);
    behaviours.merge(revision, new RevisionBehaviour(defaultBehaviour.errorRate(), meanLatency),
        (old, ignored) -> new RevisionBehaviour(old.errorRate(), meanLatency));
    metersFor(revision);
  }

  /** A shared incident (a database down, say): this extra error rate hits every revision alike; 0 ends it. */
  public void setIncidentErrorRate(double extraErrorRate) {
    checkRate(extraErrorRate);
    this.incidentErrorRate = extraErrorRate;
  }

  /** Advances the simulation by {@code duration} at once, in ticks; deterministic for a given seed. */
  public void simulate(Duration duration) {
    double seconds = duration.toNanos() / 1e9;
    double step = tick.toNanos() / 1e9;
    for (double done = 0; done < seconds - 1e-9; done += step) {
      advance(Math.min(step, seconds - done));
    }
  }

  /** Requests counted so far for a revision and status code ("200" or "500"). */
  public double requests(String revision, String code) {
    Meters m = meters.get(revision);
    if (m == null) {
      return 0;
    }
    return "500".equals(code) ? m.failed().count() : m.ok().count();
  }

  /** What {@code /metrics} would answer now. */
  public String metricsText() {
    return registry.scrape();
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      Threads.stop(ticker);
      ticker = null;
    }
    if (server != null) {
      server.stop(0);
      Threads.stop((ExecutorService) server.getExecutor());
      server = null;
    }
    registry.close();
    pods.values().forEach(p -> p.registry().close());
  }

  private void advance(double seconds) {
    // Its own lock, not the app's: close() holds that while it waits for the ticker to stop.
    synchronized (sampler) {
      draw(seconds);
    }
  }

  private void draw(double seconds) {
    Map<String, Integer> pods = readyPodsByRevision;
    int totalPods = pods.values().stream().mapToInt(Integer::intValue).sum();
    if (totalPods == 0) {
      return;
    }
    double incident = incidentErrorRate;
    for (Map.Entry<String, Integer> e : pods.entrySet()) {
      double mean = requestsPerSecond * seconds * e.getValue() / totalPods;
      RevisionBehaviour behaviour = behaviours.getOrDefault(e.getKey(), defaultBehaviour);
      double errorRate = Math.min(1, behaviour.errorRate() + incident);
      double meanLatency = behaviour.meanLatency().toNanos() / 1e9;
      Meters m = metersFor(e.getKey());
      for (int i = sampler.arrivals(mean); i > 0; i--) {
        Meters pod = nextPod(e.getKey(), e.getValue()).meters();
        boolean failed = sampler.fails(errorRate);
        Duration took = Duration.ofNanos((long) (sampler.latencySeconds(meanLatency, latencySigma) * 1e9));
        (failed ? m.failed() : m.ok()).increment();
        (failed ? pod.failed() : pod.ok()).increment();
        m.duration().record(took);
        pod.duration().record(took);
      }
    }
  }

  /** Meters exist from the moment a revision is known, so both codes have a series before the first error. */
  private Meters metersFor(String revision) {
    return meters.computeIfAbsent(revision, r -> meters(registry, r));
  }

  private Meters meters(PrometheusMeterRegistry target, String revision) {
    return new Meters(
        counter(target, revision, "200"),
        counter(target, revision, "500"),
        Timer.builder("http.request.duration")
            .description("Time to answer a request")
            .tag("app", app).tag("revision", revision)
            .serviceLevelObjectives(buckets)
            .register(target));
  }

  private Counter counter(PrometheusMeterRegistry target, String revision, String code) {
    return Counter.builder("http.requests")
        .description("Requests answered")
        .tag("app", app).tag("revision", revision).tag("code", code)
        .register(target);
  }

  private Pod newPod(String name, String revision) {
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Pod(name, revision, own, meters(own, revision));
  }

  /** Round-robin over the revision's ready pods. */
  private Pod nextPod(String revision, int readyPods) {
    int n = nextPodByRevision.merge(revision, 1, Integer::sum) - 1;
    return pods.computeIfAbsent(podName(revision, Math.floorMod(n, readyPods)), name -> newPod(name, revision));
  }

  private static String podName(String revision, int index) {
    return revision + "-" + index;
  }

  private void serveMetrics(HttpExchange exchange) throws IOException {
    send(exchange, 200, registry.scrape());
  }

  private void servePodMetrics(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String name = path.endsWith("/metrics") ? path.substring(POD_PATH.length(), path.length() - "/metrics".length()) : "";
    Pod pod = pods.get(name);
    if (pod == null) {
      send(exchange, 404, "no pod " + name + "\n");
    } else {
      send(exchange, 200, pod.registry().scrape());
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    try (exchange) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void checkRate(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("a rate is between 0 and 1, got " + rate);
    }
  }

  private static void checkLatency(Duration latency) {
    if (latency.isNegative() || latency.isZero()) {
      throw new IllegalArgumentException("mean latency must be positive");
    }
  }

  /** Options of a {@link RevisionMetricsApp}; everything but the app name has a default. */
  public static final class Builder {
    private final String app;
    private double requestsPerSecond = 100;
    private long seed = 1;
    private Duration tick = Duration.ofMillis(100);
    private double defaultErrorRate = 0.01;
    private Duration defaultLatency = Duration.ofMillis(50);
    private double latencySigma = 0.5;
    private Duration[] buckets = Arrays.stream(new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})
        .mapToObj(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);
    private final Map<String, RevisionBehaviour> behaviours = new TreeMap<>();
    private Map<String, Integer> traffic = Map.of();

    private Builder(String app) {
      this.app = Objects.requireNonNull(app, "app");
    }

    /** Total requests per second over all revisions (default 100). */
    public Builder requestsPerSecond(double rps) {
      this.requestsPerSecond = rps;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Simulation step (default 100 ms); each step draws that step's requests. */
    public Builder tick(Duration tick) {
      if (tick.isNegative() || tick.isZero()) {
        throw new IllegalArgumentException("tick must be positive");
      }
      this.tick = tick;
      return this;
    }

    /** Error rate and latency of revisions not configured otherwise (default 0.01 and 50 ms). */
    public Builder defaults(double errorRate, Duration meanLatency) {
      checkRate(errorRate);
      checkLatency(meanLatency);
      this.defaultErrorRate = errorRate;
      this.defaultLatency = meanLatency;
      return this;
    }

    public Builder revision(String revision, double errorRate, Duration meanLatency) {
      checkRate(errorRate);
      checkLatency(meanLatency);
      behaviours.put(revision, new RevisionBehaviour(errorRate, meanLatency));
      return this;
    }

    /** Initial ready pods per revision; see {@link RevisionMetricsApp#setTraffic}. */
    public Builder traffic(Map<String, Integer> readyPodsByRevision) {
      this.traffic = Map.copyOf(readyPodsByRevision);
      return this;
    }

    /** Shape of the log-normal latency distribution (default 0.5; larger means a longer tail). */
    public Builder latencySigma(double sigma) {
      this.latencySigma = sigma;
      return this;
    }

    /** Histogram bucket bounds (default: Prometheus' 5 ms ... 10 s). */
    public Builder buckets(Duration... bounds) {
      this.buckets = bounds.clone();
      return this;
    }

    public RevisionMetricsApp build() {
      return new RevisionMetricsApp(this);
    }
  }
}
