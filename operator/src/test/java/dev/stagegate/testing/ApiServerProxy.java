package dev.stagegate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP reverse proxy in front of the real kube-apiserver, for one client (one operator instance): it keeps
 * a record of every request it forwarded with the API server's answer, and injects faults a test asks for: an answer
 * of its own (409 on status writes, 500), a delay before or after the API server saw the request (the client times
 * out), dropped watch streams, and a cut (the instance is gone: every connection closed, every new one dropped).
 *
 * <p>Plain HTTP towards the client, TLS with the kubeconfig's client certificate towards the API server. Watches are
 * streamed as the API server sends them; a WebSocket upgrade is answered 503, so Fabric8 watches over plain HTTP.
 */
public final class ApiServerProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

  /** One request as the API server answered it (code 0: no answer reached the client). */
  public record Exchange(Instant at, String method, String path, int code, String injected) {
    public boolean write() {
      return !method.equals("GET") && !method.equals("HEAD");
    }

    /** The API server acted on it (a delayed answer still counts: only the client was not told in time). */
    public boolean accepted() {
      return (injected == null || injected.equals("delayed")) && code >= 200 && code < 300;
    }
  }

  /** What a rule does to a matching request. */
  public sealed interface Fault {
    /** Answer with this code and a Kubernetes Status, never forwarding. */
    record Answer(int code) implements Fault {}

    /** Forward, then hold the answer this long (the API server acted; the client may time out). */
    record DelayAnswer(Duration delay) implements Fault {}
  }

  private record Rule(Predicate<HttpExchange> matches, Fault fault, AtomicInteger left) {}

  private final String name;
  private final Config upstream;
  private final HttpClient http;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "apiserver-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Exchange> record = new CopyOnWriteArrayList<>();
  private final Map<HttpExchange, InputStream> streams = new ConcurrentHashMap<>();
  private volatile boolean cut;

  public ApiServerProxy(String name, Config upstream) {
    this.name = name;
    this.upstream = upstream;
    try {
      this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(SSLUtils.sslContext(upstream)).followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5)).executor(threads).build();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the API server proxy", e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A client that reaches the API server only through this proxy, with a short request timeout (retries as default). */
  public KubernetesClient client(Duration requestTimeout) {
    // HTTP watches from the first attempt: a WebSocket attempt answered 503 is retried with backoff before Fabric8
    // falls back to HTTP, which held each informer's start back by about 20 s.
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withRequestTimeout((int) requestTimeout.toMillis())
        .withConnectionTimeout(5_000).withNamespace(upstream.getNamespace()).withOnlyHttpWatches(true).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The next {@code times} requests that match get {@code fault} (then the rule is spent). */
  public ApiServerProxy inject(Predicate<HttpExchange> matches, Fault fault, int times) {
    rules.add(new Rule(matches, fault, new AtomicInteger(times)));
    return this;
  }

  /** A write to a status subresource. */
  public static Predicate<HttpExchange> statusWrites() {
    return e -> !e.getRequestMethod().equals("GET") && e.getRequestURI().getPath().endsWith("/status");
  }

  /** Requests whose method is one of {@code methods} and whose path contains {@code fragment}. */
  public static Predicate<HttpExchange> requests(String fragment, String... methods) {
    Set<String> m = Set.of(methods);
    return e -> (m.isEmpty() || m.contains(e.getRequestMethod())) && e.getRequestURI().getPath().contains(fragment)
        && !isWatch(e);
  }

  /** Ends every watch stream open now (the client sees its watch dropped and watches again). */
  public int dropWatches() {
    int dropped = 0;
    for (Map.Entry<HttpExchange, InputStream> open : streams.entrySet()) {
      closeQuietly(open.getValue());
      open.getKey().close();
      streams.remove(open.getKey());
      dropped++;
    }
    return dropped;
  }

  /** The instance behind this proxy is gone: open streams end, and every request from now on gets no answer. */
  public void cut() {
    cut = true;
    dropWatches();
  }

  public List<Exchange> record() {
    return List.copyOf(record);
  }

  /** Writes the API server accepted (2xx) whose path contains {@code fragment}, excluding Lease renewals. */
  public List<Exchange> acceptedWrites(String fragment) {
    return record.stream().filter(x -> x.write() && x.accepted() && x.path().contains(fragment)
        && !x.path().contains("/leases")).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Instant at = Instant.now();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    if (cut) {
      exchange.close();
      record.add(new Exchange(at, method, path, 0, "cut"));
      return;
    }
    if ("websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
      answer(exchange, 503, "this proxy does not upgrade to WebSocket");
      return;
    }
    Fault fault = fault(exchange);
    if (fault instanceof Fault.Answer a) {
      answer(exchange, a.code(), "injected by " + name);
      record.add(new Exchange(at, method, path, a.code(), "answer"));
      return;
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream.getMasterUrl().replaceAll("/$", "") + path))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((header, values) -> {
      if (!HOP_BY_HOP.contains(header.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(header, v));
      }
    });
    if (upstream.getOauthToken() != null) {
      request.setHeader("Authorization", "Bearer " + upstream.getOauthToken());
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | InterruptedException e) {
      answer(exchange, 502, "API server unreachable: " + e);
      record.add(new Exchange(at, method, path, 502, "unreachable"));
      return;
    }
    boolean watch = isWatch(exchange);
    if (fault instanceof Fault.DelayAnswer d) {
      sleep(d.delay());
    }
    record.add(new Exchange(at, method, path, response.statusCode(), fault instanceof Fault.DelayAnswer ? "delayed" : null));
    response.headers().map().forEach((header, values) -> {
      if (!HOP_BY_HOP.contains(header.toLowerCase(Locale.ROOT))) {
        exchange.getResponseHeaders().put(header, values);
      }
    });
    try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
      if (watch) {
        streams.put(exchange, in);
      }
      String length = response.headers().firstValue("content-length").orElse(null);
      exchange.sendResponseHeaders(response.statusCode(), "0".equals(length) ? -1 : 0);
      byte[] buffer = new byte[16 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away, or the stream was dropped on purpose
    } finally {
      streams.remove(exchange);
      exchange.close();
    }
  }

  private Fault fault(HttpExchange exchange) {
    for (Rule rule : rules) {
      if (rule.matches().test(exchange) && rule.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return rule.fault();
      }
    }
    return null;
  }

  private static boolean isWatch(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    return query != null && (query.contains("watch=true") || query.contains("watch=1"));
  }

  private static void answer(HttpExchange exchange, int code, String message) throws IOException {
    String reason = switch (code) {
      case 409 -> "Conflict";
      case 500 -> "InternalError";
      case 503 -> "ServiceUnavailable";
      default -> "Unknown";
    };
    byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
        + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
    server.stop(0);
    threads.shutdownNow();
  }
}
